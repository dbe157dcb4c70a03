import { toApiErrorBody } from "@/server/http/api-error";
import { clientAddress } from "@/server/http/client-address";
import { readJson } from "@/server/http/request-body";
import { logUnexpected } from "@/server/http/client-abort";
import { logger } from "@/server/logger";
import { chargeDemoRate, DEMO_BODY_LIMIT, demoSpeak, demoSpeakBody } from "@/server/services/realtime/demo-speak";

// Public and signed-out by design: the /demo page's "type text and press speak". Embedded TTS,
// motion streamed for the browser to render; rate limited per IP; billed to nobody.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  try {
    chargeDemoRate(clientAddress(req));
    const body = demoSpeakBody.parse(await readJson(req, DEMO_BODY_LIMIT));
    return await demoSpeak(body, req.signal);
  } catch (error) {
    const { body, headers, unexpected } = toApiErrorBody(error);
    if (unexpected) logUnexpected(logger, error, req.signal, "demo speak failed");
    return Response.json(body, { status: body.status, headers: { ...headers, "cache-control": "no-store" } });
  }
}
