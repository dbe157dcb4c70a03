import { platformRig } from "@/server/services/realtime/platform";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(req: Request, ctx: { params: Promise<{ avatarId: string }> }): Promise<Response> {
  return platformRig(req, (await ctx.params).avatarId);
}
