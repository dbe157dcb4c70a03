import { demoRoute } from "@/server/http/demo-route";
import { checkPortrait, DEMO_IMAGE_LIMIT, prepareDemoPortrait } from "./demo-prepare";

// Public and signed-out by design: the /demo page turns a portrait into a rig here (the face
// landmark model runs on the server), cached by image hash, new images rate limited per IP, billed
// to nobody.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = demoRoute(
  "demoPrepare",
  async (_req, ctx) => {
    const { rig, warnings, timings, cached } = await prepareDemoPortrait(checkPortrait(await ctx.body.bytes()), ctx.address);
    return Response.json({ rig, warnings, timings, cached }, { headers: { "cache-control": "no-store" } });
  },
  { bodyLimit: DEMO_IMAGE_LIMIT },
);
