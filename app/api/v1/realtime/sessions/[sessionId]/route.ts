import { apiRoute, json } from "@/server/http/api-route";
import { otherMethods } from "@/server/http/unrouted";
import { callerOf, getSessionRow, sessionTranscript, toSessionDetail } from "@/server/services/live-sessions";

export const dynamic = "force-dynamic";

export const GET = apiRoute("getRealtimeSession", async (_req, ctx) => {
  const row = await getSessionRow(ctx.db, callerOf(ctx), ctx.params.sessionId ?? "");
  return json(200, toSessionDetail(row, await sessionTranscript(ctx.db, ctx.tenant.id, row.id)));
});

// The contract's JSON 405 for every other method.
export const { POST, PUT, PATCH, DELETE } = otherMethods("/api/v1/realtime/sessions/{sessionId}");
