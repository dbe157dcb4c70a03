import Link from "next/link";
import { serverApi } from "@/server/api/caller";

export default async function OverviewPage() {
  const api = await serverApi();
  const tenant = await api.tenants.active();
  return (
    <>
      <div className="topbar">
        <h1 data-testid="tenant-name">{tenant.name}</h1>
        <span className="badge" data-testid="tenant-role">{tenant.role}</span>
      </div>
      <div className="grid">
        <div className="card"><h2>1. Create an API key</h2><p className="muted">Test keys spend the sandbox wallet (30 free realtime minutes).</p><Link href="/platform/api-keys">API keys →</Link></div>
        <div className="card"><h2>2. Upload a portrait</h2><p className="muted">A clear, front-facing photo makes the best avatar.</p><Link href="/platform/avatars">Avatars →</Link></div>
        <div className="card"><h2>3. Call the API</h2><p className="muted">The full contract is in the API reference.</p><Link href="/docs">API reference →</Link></div>
      </div>
      <p className="muted" style={{ marginTop: "2rem" }}>Workspace id <code data-testid="tenant-id">{tenant.id}</code> · slug <code>{tenant.slug}</code></p>
    </>
  );
}
