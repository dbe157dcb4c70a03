import { serverApi } from "@/server/api/caller";
import { UploadAssetForm } from "./upload-asset-form";

const size = (n: number) => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`);

export default async function AssetsPage() {
  const api = await serverApi();
  const assets = await api.assets.list();
  return (
    <>
      <h1>Assets</h1>
      <div className="card">
        <h2>Upload</h2>
        <p className="muted">Portraits (PNG, JPEG, WebP), video (MP4, WebM, MOV) and audio (WAV, MP3, OGG, FLAC, M4A). The type is read from the file itself.</p>
        <UploadAssetForm />
      </div>
      <div className="card" style={{ marginTop: "1rem" }}>
        <h2>Your assets</h2>
        {assets.length === 0 ? (
          <div className="empty" data-testid="empty-state">Files you upload appear here.</div>
        ) : (
          <table data-testid="assets-table">
            <thead>
              <tr><th>Preview</th><th>Name</th><th>Kind</th><th>Type</th><th>Size</th><th>Uploaded</th><th>Id</th></tr>
            </thead>
            <tbody>
              {assets.map((a) => (
                <tr key={a.id} data-testid="asset-row" data-asset-id={a.id}>
                  <td>
                    {a.kind === "image" && a.publicUrl ? (
                      <img src={a.publicUrl} alt="" width={48} height={48} style={{ objectFit: "cover", borderRadius: 6 }} />
                    ) : (
                      <span className="muted">{a.kind}</span>
                    )}
                  </td>
                  <td>{a.publicUrl ? <a href={a.publicUrl} target="_blank" rel="noreferrer">{a.originalFilename ?? "file"}</a> : a.originalFilename}</td>
                  <td data-testid="asset-kind">{a.kind}</td>
                  <td>{a.contentType}</td>
                  <td>{size(a.sizeBytes)}</td>
                  <td>{a.createdAt.slice(0, 16).replace("T", " ")}</td>
                  <td><code>{a.id}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
