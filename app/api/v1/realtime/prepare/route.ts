import { apiRoute, json, parseJson } from "@/server/http/api-route";
import { realtimePrepareRequest } from "@/server/services/realtime/turn-schemas";
import { prepareAvatar } from "@/server/services/realtime/prepare";
import { otherMethods } from "@/server/http/unrouted";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = apiRoute("prepareRealtime", async (req, ctx) => {
  const body = await parseJson(req, realtimePrepareRequest);
  return json(200, await prepareAvatar(ctx.db, ctx.tenant.id, body.avatar_id, { sourceKind: body.source_kind, videoCacheId: body.video_cache_id, videoCache: body.video_cache }));
});

// The contract's JSON 405 for every other method.
export const { GET, HEAD, PUT, PATCH, DELETE } = otherMethods("/api/v1/realtime/prepare");
