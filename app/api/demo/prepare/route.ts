import { clientAddress } from "@/server/http/client-address";
import { toApiErrorBody } from "@/server/http/api-error";
import { logUnexpected } from "@/server/http/client-abort";
import { logger } from "@/server/logger";
import { prepareDemoPortrait, readPortrait } from "./demo-prepare";

// Public and signed-out by design: the /demo page turns a portrait into a rig here (the face
// landmark model runs on the server), cached by image hash, new images rate limited per IP, billed
// to nobody.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  try {
    const image = await readPortrait(req);
    const { rig, warnings, timings, cached } = await prepareDemoPortrait(image, clientAddress(req));
    return Response.json({ rig, warnings, timings, cached }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    const { body, headers, unexpected } = toApiErrorBody(error);
    if (unexpected) logUnexpected(logger, error, req.signal, "demo prepare failed");
    return Response.json(body, { status: body.status, headers: { ...headers, "cache-control": "no-store" } });
  }
}
