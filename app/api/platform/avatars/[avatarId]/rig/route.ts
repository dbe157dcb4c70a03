import { dashboardRoute } from "@/server/http/dashboard-route";
import { platformRig } from "@/server/services/realtime/platform";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// The dashboard player's avatar: its rig and portrait URL.
export const GET = dashboardRoute("platformRig", async (_req, ctx) =>
  Response.json(await platformRig(ctx, ctx.params.avatarId!), { headers: { "cache-control": "private, no-store" } }),
);
