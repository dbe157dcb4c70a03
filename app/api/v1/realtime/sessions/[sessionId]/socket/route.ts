import { json } from "@/server/http/api-route";

export const dynamic = "force-dynamic";

// The session socket is upgraded by the production server itself (server/http/process-bridge.ts);
// a request that reaches Next.js here asked without `Upgrade: websocket`.
export async function GET() {
  return json(
    426,
    { error: "This is a live session's WebSocket: connect with a WebSocket client and the session's client_secret (docs/realtime-sessions.md).", status: 426, code: "upgrade_required", retryable: false },
    { Upgrade: "websocket", "Cache-Control": "no-store" },
  );
}

// Any other method is the same mistake.
export { GET as POST, GET as PUT, GET as PATCH, GET as DELETE };
