export default function UsagePage() {
  return (
    <>
      <h1>Usage</h1>
      <div className="empty" data-testid="empty-state">Rendered seconds per day appear here.</div>
    </>
  );
}
