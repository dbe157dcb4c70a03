import { getDb } from "@/server/db/client";
import { serveRequest } from "@/server/http/edge";
import { sessionAvatar } from "@/server/services/live-sessions/session-avatar";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// The embeddable widget's read of its session's avatar (rig + portrait URL), authorised by the
// session's client secret. Any origin may call it: the secret is the capability and no cookie is
// read, so CORS is open (the widget runs on customers' pages).
const CORS = { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "authorization", "Access-Control-Allow-Methods": "GET, OPTIONS", "Access-Control-Max-Age": "600" };

export async function GET(req: Request): Promise<Response> {
  const res = await serveRequest(req, "widget session avatar", async (served) => {
    served.logged.route = "widgetSessionAvatar";
    const secret = (req.headers.get("authorization") ?? "").replace(/^Bearer\s+/i, "");
    return Response.json(await sessionAvatar(await getDb(), secret), { headers: { "Cache-Control": "private, no-store" } });
  });
  for (const [k, v] of Object.entries(CORS)) res.headers.set(k, v);
  return res;
}

export function OPTIONS(): Response {
  return new Response(null, { status: 204, headers: CORS });
}
