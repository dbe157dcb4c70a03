import "server-only";

type Json = Record<string, unknown>;
type Doc = { paths: Record<string, Record<string, Json>>; components: Json & { schemas: Json; responses: Json } };

/**
 * What this server adds to the contract's realtime operations, applied to the served OpenAPI
 * document (server/http/openapi/extensions.ts): the `render` field of RealtimeTurnRequest, the
 * mux media type of the turn's 200, and the statuses prepare/turn/lipsync answer beyond the seed.
 */
export function extendRealtimeDocument(doc: Doc): void {
  const turn = doc.components.schemas.RealtimeTurnRequest as { properties: Record<string, unknown> } | undefined;
  if (turn) {
    turn.properties.render = {
      type: "string",
      enum: ["client", "server"],
      default: "client",
      description:
        "Who draws the avatar. `client` (default): the stream carries audio and per-frame `motion` records for the SDK player to render on the viewer's GPU. `server`: the stream also carries JPEG `video` records (256×256, one per motion frame) rendered on the server's CPU. Added by this server; not in the seed contract.",
    };
  }
  const turnOp = doc.paths["/api/v1/realtime/turn"]?.post as { responses: Record<string, Json> } | undefined;
  if (turnOp) {
    const ok = turnOp.responses["200"] as { content: Record<string, unknown> };
    ok.content = { "application/x-avatar-mux": { schema: { type: "string", format: "binary" } }, ...ok.content };
    turnOp.responses["409"] = {
      description: "The Idempotency-Key was used before (any reuse), or the avatar is not prepared (status not ready: call prepare).",
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
    turnOp.responses["503"] = {
      description: "`mode: chat` on a live key while no LLM is configured on the server (the message says which variables to set), or the speech engine is not installed.",
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  const prepareOp = doc.paths["/api/v1/realtime/prepare"]?.post as { responses: Record<string, Json> } | undefined;
  if (prepareOp) {
    prepareOp.responses["422"] ??= { $ref: "#/components/responses/ValidationError" };
    prepareOp.responses["409"] ??= { $ref: "#/components/responses/Conflict" };
  }
  extendVideoCache(doc);
}

/** Source-video avatars (docs/video-avatars.md): the `video_cache` overrides, the plan and the cache record the seed leaves open. */
function extendVideoCache(doc: Doc): void {
  const num = (description: string, extra: Json = {}) => ({ type: "number", description, ...extra });
  doc.components.schemas.VideoCacheSettings = {
    type: "object",
    additionalProperties: false,
    description: "Overrides of a source-video avatar's cache (all optional; unknown fields are a 422). The same overrides answer the same cache.",
    properties: {
      fps: { type: "integer", minimum: 5, maximum: 25, description: "Output frame rate (at most the clip's analysis rate, min(25, source fps))." },
      size: { type: "integer", minimum: 128, maximum: 512, multipleOf: 2, description: "Output side in pixels (default min(512, the face crop))." },
      loop_start_s: num("Start of the resting loop in the clip, seconds.", { minimum: 0 }),
      loop_end_s: num("End of the resting loop, seconds (at least 1 s after loop_start_s, inside the clip).", { minimum: 0 }),
      min_loop_s: num("Shortest loop the planner may choose (default 2 s).", { minimum: 1, maximum: 10 }),
      max_loop_s: num("Longest loop the planner may choose (default 4 s).", { minimum: 1, maximum: 10 }),
    },
  };
  doc.components.schemas.VideoCachePlan = {
    type: "object",
    description: "The resting loop of a source-video avatar: which frames loop (mode `cut`: the end returns to the start; `pingpong`: forward and back, where no clean cut exists), output size and fps, the smoothed per-frame face pose the mouth is drawn at ([a, b, tx, ty]: a similarity in crop units), and where the source's mouth is already closed.",
    properties: {
      version: { type: "integer", const: 1 },
      output: { type: "object", properties: { size: { type: "integer" }, fps: { type: "number" } }, required: ["size", "fps"] },
      loop: {
        type: "object",
        properties: {
          mode: { type: "string", enum: ["cut", "pingpong"] },
          startSec: { type: "number" },
          endSec: { type: "number" },
          startFrame: { type: "integer" },
          endFrame: { type: "integer" },
          frames: { type: "integer", description: "Frames one pass of the loop plays at the output fps." },
          seamDiff: { type: "number", description: "Frame difference across the loop point (0-255 luma)." },
          frameDiffP95: { type: "number", description: "The clip's own frame-to-frame difference (95th percentile)." },
        },
        required: ["mode", "startSec", "endSec", "frames"],
      },
      rigTrack: { type: "array", items: { type: "array", items: { type: "number" }, minItems: 4, maxItems: 4 } },
      mouthClosed: { type: "array", items: { type: "boolean" } },
    },
    required: ["version", "output", "loop", "rigTrack", "mouthClosed"],
  };
  doc.components.schemas.VideoCacheRecord = {
    type: "object",
    description: "A source-video avatar's cache: `id` is the `video_cache_id` prepare and turn accept; `status` queued (the loop is being rendered) → ready | failed. While the avatar itself is still being prepared, only `avatar_id`, `status` (the avatar's) and `source_kind` are present.",
    properties: {
      id: { type: "string", pattern: "^vc_" },
      avatar_id: { type: "string" },
      renderer_avatar_id: { type: "string", description: "The avatar manifest the cache belongs to." },
      cache_version: { type: "integer" },
      source_kind: { type: "string", const: "source_video" },
      status: { type: "string" },
      failure_reason: { type: ["string", "null"] },
      settings: { $ref: "#/components/schemas/VideoCacheSettings" },
      loop_asset_id: { type: ["string", "null"], description: "The loop as an MP4 video asset of your workspace (GET /api/v1/assets/{id})." },
      created_at: { type: "string" },
      updated_at: { type: "string" },
    },
    required: ["avatar_id", "status", "source_kind"],
  };
  const settingsRef = { $ref: "#/components/schemas/VideoCacheSettings" };
  for (const name of ["RealtimePrepareRequest"]) {
    const schema = doc.components.schemas[name] as { properties?: Record<string, unknown> } | undefined;
    if (schema?.properties?.video_cache) schema.properties.video_cache = { ...settingsRef, description: "Source-video avatars: prepare answers the cache for these overrides (planned as POST /api/v1/realtime/video-cache/plan does; `status` queued until its loop is rendered). Without it (and without video_cache_id), the avatar's default cache." };
  }
  const planOp = doc.paths["/api/v1/realtime/video-cache/plan"]?.post as { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> }; responses: Record<string, Json> } | undefined;
  if (!planOp) return;
  const body = planOp.requestBody?.content["application/json"]?.schema;
  if (body) body.properties.video_cache = settingsRef;
  const ok = (planOp.responses["200"] as { content?: Record<string, { schema: { properties: Record<string, unknown> } }> }).content?.["application/json"]?.schema;
  if (ok) {
    ok.properties.plan = { oneOf: [{ $ref: "#/components/schemas/VideoCachePlan" }, { type: "null" }], description: "null while the avatar is still being prepared (status queued: poll again)." };
    ok.properties.manifest = { $ref: "#/components/schemas/VideoCacheRecord" };
  }
  planOp.responses["422"] = {
    description: "`video_cache` out of range or bounds outside the clip; the avatar is a portrait; or its video could not be prepared (`video_not_usable`, the reason in the message).",
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  };
  planOp.responses["409"] ??= { $ref: "#/components/responses/Conflict" };
}
