import { apiRoute, json, parseJson, parseQuery } from "@/server/http/api-route";
import { otherMethods } from "@/server/http/unrouted";
import { assetDepsFromEnv, publicBaseUrl } from "@/server/services/assets";
import { createVideo, createVideoInput, createVideoQuery, finishVideo, listVideos, listVideosQuery, streamWhileRendering, toVideoJson } from "@/server/services/videos";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const maxDuration = 300;

export const POST = apiRoute("createVideo", async (req, ctx) => {
  const { stream } = parseQuery(req, createVideoQuery);
  const input = await parseJson(req, createVideoInput);
  const owner = { tenantId: ctx.tenant.id, environment: ctx.key.environment, apiKeyId: ctx.key.id, log: ctx.log };
  const base = publicBaseUrl(req);
  const row = await createVideo(ctx.db, owner, input);
  if (row.status === "delayed") return json(202, toVideoJson(row, base));
  const deps = assetDepsFromEnv();
  if (stream === "true") {
    const body = await streamWhileRendering(
      (onData) => finishVideo(ctx.db, owner, row, deps, onData),
      (err: unknown) => ctx.log.error({ err, videoId: row.id }, "a streamed video failed after its first byte"),
    );
    return new Response(body, {
      status: 200,
      headers: {
        "Content-Type": "video/mp4",
        "Content-Disposition": 'attachment; filename="video.mp4"',
        "Cache-Control": "no-cache",
        "Content-Location": `/api/v1/videos/${row.id}`,
        "X-Video-Id": row.id,
      },
    });
  }
  return json(201, toVideoJson(await finishVideo(ctx.db, owner, row, deps), base));
});

export const GET = apiRoute("listVideos", async (req, ctx) => {
  const page = await listVideos(ctx.db, { tenantId: ctx.tenant.id, environment: ctx.key.environment }, parseQuery(req, listVideosQuery));
  const base = publicBaseUrl(req);
  return json(200, { data: page.rows.map((r) => toVideoJson(r, base)), next_cursor: page.nextCursor });
});

// The contract's JSON 405 for every other method.
export const { PUT, PATCH, DELETE } = otherMethods("/api/v1/videos");
