import { demoRoute } from "@/server/http/demo-route";
import { DEMO_BODY_LIMIT, DEMO_SPEAK_LIMIT, demoSpeak, demoSpeakBody } from "@/server/services/realtime/demo-speak";

// Public and signed-out by design: the /demo page's "type text and press speak". Embedded TTS,
// motion streamed for the browser to render; rate limited per address; billed to nobody.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = demoRoute("demoSpeak", async (req, ctx) => demoSpeak(await ctx.body.json(demoSpeakBody), ctx.log, req.signal), {
  bodyLimit: DEMO_BODY_LIMIT,
  addressLimit: DEMO_SPEAK_LIMIT,
});
