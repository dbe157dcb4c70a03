import { apiRoute, json } from "@/server/http/api-route";
import { otherMethods } from "@/server/http/unrouted";
import { callerOf, endSession, toSessionSummary } from "@/server/services/live-sessions";

export const dynamic = "force-dynamic";

// Idempotent: an ended session answers as it is. The instance holding the socket ends it within ~1 s.
export const POST = apiRoute("endRealtimeSession", async (_req, ctx) => json(200, toSessionSummary(await endSession(ctx.db, callerOf(ctx), ctx.params.sessionId ?? ""))));

// The contract's JSON 405 for every other method.
export const { GET, HEAD, PUT, PATCH, DELETE } = otherMethods("/api/v1/realtime/sessions/{sessionId}/end");
