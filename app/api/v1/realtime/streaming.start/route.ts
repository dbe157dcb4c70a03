import { apiRoute, json, parseJson } from "@/server/http/api-route";
import { otherMethods } from "@/server/http/unrouted";
import { callerOf, streamingStartInput } from "@/server/services/live-sessions";

export const dynamic = "force-dynamic";

// Seed 002's `POST /v1/streaming.start`: a created session starts over WebRTC with the offer; the answer comes back.
export const POST = apiRoute("startRealtimeStreaming", async (req, ctx) => {
  const input = await parseJson(req, streamingStartInput);
  const { startStreaming, openConversation } = await import("@/server/services/live-sessions/webrtc");
  const { row, answer } = await startStreaming(ctx.db, callerOf(ctx), input.session_id, input.sdp.sdp, openConversation);
  return json(200, { status: "started", session_id: row.id, sdp: { type: "answer", sdp: answer } }, { "Cache-Control": "no-store" });
});

// The contract's JSON 405 for every other method.
export const { GET, HEAD, PUT, PATCH, DELETE } = otherMethods("/api/v1/realtime/streaming.start");
