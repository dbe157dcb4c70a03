import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { serverApi } from "@/server/api/caller";
import { getSessionUser } from "@/server/auth/session";
import { TrpcReactProvider } from "../../_trpc/client";
import { PlatformNav } from "./_components/platform-nav";
import { SignOutButton } from "./_components/sign-out-button";
import { TenantSwitcher } from "./_components/tenant-switcher";

export const dynamic = "force-dynamic";

export default async function PlatformLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in?callbackUrl=/platform");
  const api = await serverApi();
  const [tenants, active] = await Promise.all([api.tenants.list(), api.tenants.active()]);
  return (
    <TrpcReactProvider>
      <div className="shell">
        <aside className="sidebar">
          <div className="brand">TIC Realtime Avatar</div>
          <TenantSwitcher tenants={tenants} activeId={active.id} />
          <PlatformNav />
          <div style={{ marginTop: "auto" }}>
            <div className="muted" data-testid="signed-in-as">{user.email}</div>
            <SignOutButton />
          </div>
        </aside>
        <main className="main">
          {active.status === "suspended" && (
            <p className="error" role="alert">This workspace is suspended: API calls are refused. Contact support to restore it.</p>
          )}
          {children}
        </main>
      </div>
    </TrpcReactProvider>
  );
}
