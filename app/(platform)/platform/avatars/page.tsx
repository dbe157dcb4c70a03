import Link from "next/link";
import { serverApi } from "@/server/api/caller";
import { AvatarActions } from "./avatar-actions";
import { CreateAvatarForm } from "./create-avatar-form";

export default async function AvatarsPage() {
  const api = await serverApi();
  const [avatars, images, videos] = await Promise.all([api.avatars.list(), api.assets.list({ kind: "image" }), api.assets.list({ kind: "video" })]);
  const imageUrl = new Map(images.map((a) => [a.id, a.publicUrl]));
  return (
    <>
      <h1>Avatars</h1>
      <div className="card">
        <h2>New avatar</h2>
        <p className="muted">
          Pick an uploaded portrait or upload one: a front-facing photo, face clearly visible. Or a 3–60 s video of one person facing the camera: it loops with their own
          blinks and breathing, and only the mouth is re-animated.
        </p>
        <CreateAvatarForm
          portraits={images.map((a) => ({ id: a.id, publicUrl: a.publicUrl, name: a.originalFilename }))}
          videos={videos.map((a) => ({ id: a.id, publicUrl: a.publicUrl, name: a.originalFilename }))}
        />
      </div>
      <h2 style={{ marginTop: "1.5rem" }}>Your avatars</h2>
      {avatars.length === 0 ? (
        <div className="empty" data-testid="empty-state">Avatars you create from a portrait appear here.</div>
      ) : (
        <div className="grid" data-testid="avatars-grid">
          {avatars.map((a) => {
            const src = a.sourceAssetId ? imageUrl.get(a.sourceAssetId) : null;
            return (
              <div className="card" key={a.id} data-testid="avatar-card" data-avatar-id={a.id}>
                {src && (
                  <img src={src} alt="" style={{ width: "100%", aspectRatio: "1", objectFit: "cover", borderRadius: 8 }} />
                )}
                {a.sourceKind === "video" && <p className="muted">source video</p>}
                <h3 data-testid="avatar-name"><Link href={`/platform/avatars/${a.id}`} data-testid="avatar-open">{a.displayName}</Link></h3>
                <p>
                  <span className={`badge status-${a.status}`} data-testid="avatar-status">{a.status}</span>{" "}
                  <span className="muted">{a.modelId}</span>
                </p>
                {a.failureReason && <p className="error">{a.failureReason}</p>}
                <p><code>{a.id}</code></p>
                <AvatarActions id={a.id} status={a.status} />
              </div>
            );
          })}
        </div>
      )}
    </>
  );
}
