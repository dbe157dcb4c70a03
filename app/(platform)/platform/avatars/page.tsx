export default function AvatarsPage() {
  return (
    <>
      <h1>Avatars</h1>
      <div className="empty" data-testid="empty-state">Avatars you create from a portrait appear here.</div>
    </>
  );
}
