import { dashboardRoute } from "@/server/http/dashboard-route";
import { platformSpeak, speakBody } from "@/server/services/realtime/platform";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// The dashboard's Speak button: a realtime turn streamed to the signed-in user's browser, run with
// the workspace's test environment on the server (the browser never holds an API key).
export const POST = dashboardRoute("platformSpeak", async (req, ctx) => platformSpeak(ctx, ctx.params.avatarId!, (await ctx.body.json(speakBody)).text, req.signal));
