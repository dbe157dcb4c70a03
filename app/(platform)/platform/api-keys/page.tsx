export default function APIkeysPage() {
  return (
    <>
      <h1>API keys</h1>
      <div className="empty" data-testid="empty-state">Keys for the REST API appear here.</div>
    </>
  );
}
