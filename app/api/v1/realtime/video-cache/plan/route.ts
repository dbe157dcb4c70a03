import { apiRoute, json, parseJson } from "@/server/http/api-route";
import { videoCachePlanRequest } from "@/server/services/realtime/turn-schemas";
import { planVideoCache } from "@/server/services/video-avatars/plan";
import { otherMethods } from "@/server/http/unrouted";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = apiRoute("planVideoCache", async (req, ctx) => {
  const body = await parseJson(req, videoCachePlanRequest);
  return json(200, await planVideoCache(ctx.db, ctx.tenant.id, body.avatar_id, body.video_cache));
});

// The contract's JSON 405 for every other method.
export const { GET, HEAD, PUT, PATCH, DELETE } = otherMethods("/api/v1/realtime/video-cache/plan");
