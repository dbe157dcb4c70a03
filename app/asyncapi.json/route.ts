import { sessionAsyncApi } from "@/server/services/live-sessions/asyncapi";

export const dynamic = "force-static";

/** The live-session socket protocol (AsyncAPI 3), beside /openapi.json. */
export function GET() {
  return Response.json(sessionAsyncApi(process.env.TIC_APP_VERSION), { headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" } });
}
