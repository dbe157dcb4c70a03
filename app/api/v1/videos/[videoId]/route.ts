import { apiRoute, json } from "@/server/http/api-route";
import { otherMethods } from "@/server/http/unrouted";
import { publicBaseUrl } from "@/server/services/assets";
import { deleteVideo, getVideo, toVideoJson } from "@/server/services/videos";

export const dynamic = "force-dynamic";

export const GET = apiRoute("getVideo", async (req, ctx) => {
  const row = await getVideo(ctx.db, { tenantId: ctx.tenant.id, environment: ctx.key.environment }, ctx.params.videoId ?? "");
  return json(200, toVideoJson(row, publicBaseUrl(req)));
});

export const DELETE = apiRoute("deleteVideo", async (_req, ctx) => {
  await deleteVideo(ctx.db, { tenantId: ctx.tenant.id, environment: ctx.key.environment }, ctx.params.videoId ?? "");
  return new Response(null, { status: 204 });
});

// The contract's JSON 405 for every other method.
export const { POST, PUT, PATCH } = otherMethods("/api/v1/videos/{videoId}");
