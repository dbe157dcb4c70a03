"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC } from "../../../_trpc/client";

type Tenant = { id: string; slug: string; name: string; role: string };

/** Picks the workspace the dashboard shows, or creates a new one and switches to it. */
export function TenantSwitcher({ tenants, activeId }: { tenants: Tenant[]; activeId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const switchTenant = useMutation(trpc.tenants.switch.mutationOptions({ onSuccess: () => router.refresh() }));
  const createTenant = useMutation(trpc.tenants.create.mutationOptions({ onSuccess: () => router.refresh() }));
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    setError(null);
    try {
      await createTenant.mutateAsync({ name });
      setCreating(false);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <div>
      <label htmlFor="tenant-switcher">Workspace</label>
      <select
        id="tenant-switcher"
        data-testid="tenant-switcher"
        value={activeId}
        disabled={switchTenant.isPending}
        onChange={(e) => switchTenant.mutate({ tenantId: e.target.value })}
      >
        {tenants.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
      {creating ? (
        <form onSubmit={onCreate} data-testid="create-tenant-form">
          <label htmlFor="new-tenant-name">New workspace name</label>
          <input id="new-tenant-name" name="name" maxLength={80} required autoFocus />
          {error && <p className="error" role="alert" data-testid="form-error">{error}</p>}
          <div className="row" style={{ marginTop: ".5rem" }}>
            <button className="primary" type="submit" disabled={createTenant.isPending}>Create</button>
            <button type="button" onClick={() => setCreating(false)}>Cancel</button>
          </div>
        </form>
      ) : (
        <p><button type="button" data-testid="new-tenant" onClick={() => setCreating(true)}>+ New workspace</button></p>
      )}
    </div>
  );
}
