import { platformSpeak } from "@/server/services/realtime/platform";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// The dashboard's Speak button: a realtime turn streamed to the signed-in user's browser, run with
// the workspace's test environment on the server (the browser never holds an API key).
export async function POST(req: Request, ctx: { params: Promise<{ avatarId: string }> }): Promise<Response> {
  return platformSpeak(req, (await ctx.params).avatarId);
}
