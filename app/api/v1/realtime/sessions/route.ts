import { apiRoute, json, parseJson, parseQuery } from "@/server/http/api-route";
import { otherMethods } from "@/server/http/unrouted";
import { publicBaseUrl } from "@/server/services/assets";
import { callerOf, createSession, createSessionInput, listSessions, listSessionsQuery, sessionSettings, toCreatedSession, toSessionSummary } from "@/server/services/live-sessions";

export const dynamic = "force-dynamic";

export const POST = apiRoute("createRealtimeSession", async (req, ctx) => {
  const input = await parseJson(req, createSessionInput);
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

// The contract's JSON 405 for every other method.
export const { PUT, PATCH, DELETE } = otherMethods("/api/v1/realtime/sessions");
