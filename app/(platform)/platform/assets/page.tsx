export default function AssetsPage() {
  return (
    <>
      <h1>Assets</h1>
      <div className="empty" data-testid="empty-state">Uploaded portraits, videos and audio appear here.</div>
    </>
  );
}
