import { DemoError, prepareDemoPortrait, readCapped } from "./demo-prepare";

// Public and signed-out by design: the /demo page turns a portrait into a rig here (the face
// landmark model runs on the server), cached by image hash, new images rate limited per IP, billed
// to nobody.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function clientKey(req: Request): string {
  // The first X-Forwarded-For hop is the client when a proxy fronts the app; otherwise one shared bucket.
  return req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || req.headers.get("x-real-ip") || "direct";
}

export async function POST(req: Request): Promise<Response> {
  try {
    const image = await readCapped(req.body);
    const { rig, warnings, timings, cached } = await prepareDemoPortrait(image, clientKey(req));
    return Response.json({ rig, warnings, timings, cached }, { headers: { "cache-control": "no-store" } });
  } catch (err) {
    if (err instanceof DemoError) return Response.json(err.body(), { status: err.status, headers: err.headers });
    console.error("demo prepare failed", err);
    return Response.json({ error: "Preparing the portrait failed; try again or use another photo.", code: "prepare_failed", status: 500, retryable: true }, { status: 500 });
  }
}
