import { getDb } from "@/server/db/client";
import { errorAnswer } from "@/server/http/edge";
import { logger } from "@/server/logger";
import { assetDepsFromEnv } from "@/server/services/assets";
import { serveVideoFile } from "@/server/services/videos";

// A video's MP4, public by link (docs/videos.md): the unguessable id is the capability. The first
// request of a delayed video renders it and bills its workspace.
type Ctx = { params: Promise<{ videoId: string }> };

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const maxDuration = 300;

export async function GET(req: Request, ctx: Ctx): Promise<Response> {
  const { videoId } = await ctx.params;
  try {
    return await serveVideoFile(await getDb(), videoId, req, assetDepsFromEnv());
  } catch (error) {
    return errorAnswer(error, logger, req);
  }
}

export async function HEAD(req: Request, ctx: Ctx): Promise<Response> {
  return GET(req, ctx);
}
