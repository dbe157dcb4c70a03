import { apiRoute, parseJson } from "@/server/http/api-route";
import { engineUnavailable } from "@/server/http/engine-unavailable";
import { realtimePrepareRequest } from "@/server/http/schemas/realtime";

export const dynamic = "force-dynamic";

export const POST = apiRoute("prepareRealtime", async (req) => {
  await parseJson(req, realtimePrepareRequest);
  return engineUnavailable("Realtime prepare");
});
