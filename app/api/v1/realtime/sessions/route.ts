import { apiRoute, json, parseJson, parseQuery } from "@/server/http/api-route";
import { browserPreflight } from "@/server/http/publishable-edge";
import { otherMethods } from "@/server/http/unrouted";
import { readJson, API_JSON_LIMIT } from "@/server/services/request-body";
import { publicBaseUrl } from "@/server/services/assets";
import { callerOf, createSession, createSessionInput, listSessions, listSessionsQuery, sessionSettings, toCreatedSession, toSessionSummary } from "@/server/services/live-sessions";
import { publishableSessionInput } from "@/server/services/publishable-keys";

export const dynamic = "force-dynamic";

// A publishable key (a page's, admitted by the edge for its origin) chooses only the page's fields,
// within its avatars and caps; a secret key the whole body.
export const POST = apiRoute("createRealtimeSession", async (req, ctx) => {
  const input = ctx.key.kind === "publishable" ? publishableSessionInput(await readJson(req, API_JSON_LIMIT), ctx.key) : await parseJson(req, createSessionInput);
  const transport = input.transport;
  if (transport?.type === "webrtc") {
    // Loaded only for a WebRTC session: libwebrtc is a native module a socket session never needs.
    const { createWebRtcSession, openConversation } = await import("@/server/services/live-sessions/webrtc");
    const { row, secret, answer } = await createWebRtcSession(ctx.db, callerOf(ctx), { ...input, transport }, sessionSettings(), openConversation);
    return json(201, toCreatedSession(row, secret, publicBaseUrl(req), answer), { "Cache-Control": "no-store" });
  }
  const { row, secret } = await createSession(ctx.db, callerOf(ctx), input, sessionSettings());
  return json(201, toCreatedSession(row, secret, publicBaseUrl(req)), { "Cache-Control": "no-store" });
});

export const GET = apiRoute("listRealtimeSessions", async (req, ctx) => {
  const page = await listSessions(ctx.db, callerOf(ctx), parseQuery(req, listSessionsQuery));
  return json(200, { data: page.rows.map((r) => toSessionSummary(r)), next_cursor: page.nextCursor });
});

// The browser's preflight for a page's create with a publishable key (see server/http/publishable-edge.ts).
export const OPTIONS = browserPreflight(["POST"]);

// The contract's JSON 405 for every other method.
export const { PUT, PATCH, DELETE } = otherMethods("/api/v1/realtime/sessions");
