import { extendedContract } from "@/server/http/openapi/extensions";

export const dynamic = "force-static";

/** The public API contract (seed contract + our extensions), for SDK generators and /docs. */
export function GET() {
  return Response.json(extendedContract(), { headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" } });
}
