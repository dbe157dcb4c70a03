import { serverApi } from "@/server/api/caller";
import { RenameTenantForm } from "./rename-tenant-form";
import { WebhookSettings } from "./webhook-settings";

export default async function SettingsPage() {
  const api = await serverApi();
  const [tenant, members] = await Promise.all([api.tenants.active(), api.tenants.members()]);
  return (
    <>
      <h1>Settings</h1>
      <div className="card">
        <h2>Workspace name</h2>
        <RenameTenantForm name={tenant.name} canEdit={tenant.role !== "member"} />
      </div>
      <div className="card" style={{ marginTop: "1rem" }}>
        <h2>Members</h2>
        <table data-testid="members">
          <thead><tr><th>Name</th><th>Email</th><th>Role</th><th>Since</th></tr></thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId}><td>{m.name}</td><td>{m.email}</td><td>{m.role}</td><td>{m.since.toISOString().slice(0, 10)}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
      {tenant.role !== "member" && (
        <div className="card" style={{ marginTop: "1rem" }}>
          <h2>Webhooks</h2>
          <WebhookSettings />
        </div>
      )}
    </>
  );
}
