import { apiRoute, parseJson } from "@/server/http/api-route";
import { engineUnavailable } from "@/server/http/engine-unavailable";
import { videoCachePlanRequest } from "@/server/http/schemas/realtime";

export const dynamic = "force-dynamic";

export const POST = apiRoute("planVideoCache", async (req) => {
  await parseJson(req, videoCachePlanRequest);
  return engineUnavailable("Video cache planning");
});
