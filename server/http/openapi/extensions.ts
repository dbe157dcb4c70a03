import "server-only";
import contract from "./contract.json";
import { ROUTES, type RouteSpec } from "../route-table";
import { extendRealtimeDocument } from "../../services/realtime/openapi-extension";
import { extendSessionsDocument } from "../../services/live-sessions/openapi";
import { extendVideosDocument } from "../../services/videos/openapi";

// The served OpenAPI document: the seed contract (contract.json, verbatim) plus what this server
// adds. Additions are documented here rather than edited into the copy, so the seed stays diffable:
//  - operations we add (listApiKeys, revokeApiKey, listUsage, live sessions, videos);
//  - statuses every operation can answer at the edge: 401, 403 (scope / suspended tenant), 429 (rate
//    limit), 409/422 (Idempotency-Key) on mutating calls, 422 where a body or query is validated,
//    502 on engine operations;
//  - `x-required-scope` on every operation, from the route table.

type Json = Record<string, unknown>;
type Doc = typeof contract & { paths: Record<string, Record<string, Json>>; components: Json & { responses: Json; schemas: Json } };

const errorRef = (name: string) => ({ $ref: `#/components/responses/${name}` });
const json = (schema: unknown) => ({ "application/json": { schema } });

const apiKeyList = { type: "object", properties: { data: { type: "array", items: { $ref: "#/components/schemas/ApiKey" } } }, required: ["data"] };
const usageReport = {
  type: "object",
  properties: {
    environment: { type: "string", enum: ["live", "test"] },
    data: {
      type: "array",
      items: {
        type: "object",
        properties: {
          day: { type: "string", description: "UTC day, YYYY-MM-DD." },
          renderedMs: { type: "integer", minimum: 0 },
          creditMicros: { type: "integer", minimum: 0 },
          events: { type: "integer", minimum: 0 },
        },
        required: ["day", "renderedMs", "creditMicros", "events"],
      },
    },
  },
  required: ["environment", "data"],
};

const avatarRenderAssets = {
  type: "object",
  properties: {
    avatar_id: { type: "string" },
    manifest_id: { type: "string", description: "The prepared rig's manifest; a re-prepare makes a new one." },
    version: { type: "integer", minimum: 0 },
    rig: { type: "object", additionalProperties: true, description: "The rig (mesh, mouth and head geometry) the renderer deforms; its format is versioned by `kind`/`version` inside." },
    portrait_url: { type: "string", description: "Image avatars: path of the portrait on this server (/files/…, an unguessable capability URL)." },
    video: {
      type: "object",
      description: "Source-video avatars (instead of portrait_url): the resting loop to decode once and its plan (docs/video-avatars.md).",
      properties: { loop_url: { type: "string", description: "Path of the loop MP4 (/files/…)." }, plan: { type: "object", additionalProperties: true } },
      required: ["loop_url", "plan"],
    },
  },
  required: ["avatar_id", "manifest_id", "version", "rig"],
};

const addedPaths: Record<string, Record<string, unknown>> = {
  "/api/v1/api-keys": {
    get: {
      tags: ["api-keys"],
      operationId: "listApiKeys",
      summary: "List API keys",
      description:
        "Keys of your tenant, redacted (the secret is never retrievable): a test key lists only test keys, a live key every key. Requires scope `api_keys:write`.",
      responses: { "200": { description: "API keys", content: json({ $ref: "#/components/schemas/ApiKeyList" }) } },
    },
  },
  "/api/v1/api-keys/{keyId}": {
    parameters: [{ name: "keyId", in: "path", required: true, schema: { type: "string", pattern: "^key_" } }],
    delete: {
      tags: ["api-keys"],
      operationId: "revokeApiKey",
      summary: "Revoke an API key",
      description:
        "Revokes a key at once; further calls with it answer 401. A test key cannot revoke a live key (404, as for another tenant's key). Requires scope `api_keys:write`.",
      responses: { "200": { description: "Revoked key", content: json({ $ref: "#/components/schemas/ApiKey" }) }, "404": errorRef("NotFound") },
    },
  },
  "/api/v1/avatars/{avatarId}/render-assets": {
    parameters: [{ name: "avatarId", in: "path", required: true, schema: { type: "string", pattern: "^ava_" } }],
    get: {
      tags: ["avatars"],
      operationId: "getAvatarRenderAssets",
      summary: "An avatar's render assets",
      description:
        "The prepared rig and the portrait URL a browser draws the avatar with (the widget's audio mode, which lipsyncs audio in the browser without a session). Read it on your server and hand it to the page. A not-ready avatar answers 409. Requires scope `avatars:read`.",
      responses: {
        "200": { description: "Render assets", content: json({ $ref: "#/components/schemas/AvatarRenderAssets" }) },
        "404": errorRef("NotFound"),
        "409": errorRef("Conflict"),
      },
    },
  },
  "/api/v1/usage": {
    get: {
      tags: ["credits"],
      operationId: "listUsage",
      summary: "Usage per day",
      description: "Settled realtime usage of the calling key's environment per UTC day. Requires scope `usage:read`.",
      parameters: [{ name: "days", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 90, default: 30 } }],
      responses: { "200": { description: "Usage per day", content: json({ $ref: "#/components/schemas/UsageReport" }) } },
    },
  },
};

const idempotencyHeader = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "Makes retries safe: the same key with the same request, from the same API key, replays the first answer; with a different request answers 422; while the first is still running answers 409. Scoped to the calling API key (other keys never see its answers). A created API key's secret is never replayed: reusing the key of a successful createApiKey answers 409 naming the created key. Kept 24 hours.",
  schema: { type: "string", maxLength: 180 },
};

function ensure(responses: Json, status: string, ref: string) {
  if (!responses[status]) responses[status] = errorRef(ref);
}

// Publishable keys (tic_pub_…, docs/security.md): a second bearer scheme, accepted by the route
// table's `browser` operations only (every other operation answers such a key 403).
function addPublishableKeys(doc: Doc) {
  const schemes = doc.components as Json & { securitySchemes: Json };
  schemes.securitySchemes.publishableKey = {
    type: "http",
    scheme: "bearer",
    description:
      "A publishable key (`tic_pub_live_…`/`tic_pub_test_…`), made in the dashboard at /platform/api-keys, may sit in a web page. It only creates live sessions (POST /api/v1/realtime/sessions) and reads render assets (GET /api/v1/avatars/{avatarId}/render-assets, the widget's audio mode), only for the avatars it names, only from the origins it names (checked against `Origin`; CORS preflight answered on those paths). Any other operation answers 403 `publishable_key_not_allowed`.",
  };
  const apiKey = doc.components.schemas.ApiKey as { properties: Json };
  apiKey.properties.kind = { type: "string", enum: ["secret", "publishable"], description: "`publishable`: a page's key (tic_pub_…), made in the dashboard." };
  apiKey.properties.allowedOrigins = { type: "array", items: { type: "string" }, description: "A publishable key's origins (scheme://host[:port], or https://*.domain); empty for a secret key." };
  apiKey.properties.avatarIds = { type: "array", items: { type: "string" }, description: "The avatars a publishable key may start sessions for; empty for a secret key." };
  for (const spec of Object.values(ROUTES) as RouteSpec[]) {
    if (!spec.browser) continue;
    const op = doc.paths[spec.path]![spec.method.toLowerCase()] as Json & { responses: Json; description: string };
    op.security = [{ apiKey: [] }, { publishableKey: [] }];
    const creates = spec.method === "POST";
    op.description += creates
      ? " With a publishable key (from a page): the `Origin` must be one of the key's allowed origins (else 403 `origin_not_allowed`), the avatar one it names (else 403 `avatar_not_allowed`); only the page's fields are taken (`prompt`, `tools`, `threadId`, `metadata`, `sessionId` answer 403 `field_not_allowed`), `max_seconds` is cut to 900 and `idle_timeout_s` to 120; session creates are limited per key and origin (429 with Retry-After). The 201 carries `Access-Control-Allow-Origin` for that origin only."
      : " With a publishable key (from a page, whatever its scopes): the `Origin` must be one of the key's allowed origins (else 403 `origin_not_allowed`), the avatar one it names (else 403 `avatar_not_allowed`); reads are limited per key and origin (429 with Retry-After). The 200 carries `Access-Control-Allow-Origin` for that origin only.";
    op.responses["403"] = {
      description:
        `\`missing_scope\`, \`tenant_suspended\`; with a publishable key also \`origin_not_allowed\`, \`avatar_not_allowed\`${creates ? ", `field_not_allowed`" : ""} (each message says what to change).`,
      content: json({ $ref: "#/components/schemas/Error" }),
    };
  }
}

let built: Doc | undefined;

/** The contract extended with our operations and edge statuses (the document /openapi.json serves). */
export function extendedContract(): Doc {
  if (built) return built;
  const doc = structuredClone(contract) as Doc;
  doc.info = { ...doc.info, description: `${doc.info.description}\n\nEvery response carries \`X-Request-Id\`; authenticated responses carry \`RateLimit\` and \`RateLimit-Policy\` headers.` };
  for (const [path, item] of Object.entries(addedPaths)) doc.paths[path] = { ...(doc.paths[path] ?? {}), ...(structuredClone(item) as Record<string, Json>) };
  doc.components.responses.TooManyRequests = {
    description: "Rate limit of the key or tenant exceeded; wait `Retry-After` seconds.",
    headers: { "Retry-After": { schema: { type: "integer" } }, RateLimit: { schema: { type: "string" } }, "RateLimit-Policy": { schema: { type: "string" } } },
    content: json({ $ref: "#/components/schemas/Error" }),
  };
  doc.components.schemas.ApiKeyList = apiKeyList;
  doc.components.schemas.UsageReport = usageReport;
  doc.components.schemas.AvatarRenderAssets = avatarRenderAssets;
  extendRealtimeDocument(doc);
  extendSessionsDocument(doc);
  extendVideosDocument(doc);
  addPublishableKeys(doc);

  for (const spec of Object.values(ROUTES) as RouteSpec[]) {
    const op = doc.paths[spec.path]?.[spec.method.toLowerCase()] as (Json & { responses: Json; parameters?: Json[]; requestBody?: unknown }) | undefined;
    if (!op) throw new Error(`route table operation ${spec.method} ${spec.path} is missing from the OpenAPI document`);
    op["x-required-scope"] = spec.scope;
    ensure(op.responses, "401", "Unauthorized");
    ensure(op.responses, "403", "Forbidden");
    ensure(op.responses, "429", "TooManyRequests");
    const mutating = spec.method !== "GET";
    const hasInput = op.requestBody !== undefined || (op.parameters ?? []).some((p) => (p as { in?: string }).in === "query") || mutating;
    if (hasInput) ensure(op.responses, "422", "ValidationError");
    if (mutating) {
      ensure(op.responses, "409", "Conflict");
      if (!(op.parameters ?? []).some((p) => (p as { name?: string }).name === "Idempotency-Key")) op.parameters = [...(op.parameters ?? []), idempotencyHeader];
    }
    if (spec.path.startsWith("/api/v1/realtime/") || spec.path === "/api/v1/lipsync" || (spec.path === "/api/v1/videos" && spec.method === "POST")) ensure(op.responses, "502", "UpstreamError");
    if (spec.path.includes("{")) ensure(op.responses, "404", "NotFound");
  }
  built = doc;
  return doc;
}
