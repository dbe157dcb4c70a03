import { apiRoute, parseJson } from "@/server/http/api-route";
import { engineUnavailable } from "@/server/http/engine-unavailable";
import { videoCachePlanRequest } from "@/server/services/realtime/turn-schemas";
import { otherMethods } from "@/server/http/unrouted";

export const dynamic = "force-dynamic";

export const POST = apiRoute("planVideoCache", async (req) => {
  await parseJson(req, videoCachePlanRequest);
  return engineUnavailable("Video cache planning");
});

// The contract's JSON 405 for every other method.
export const { GET, HEAD, PUT, PATCH, DELETE } = otherMethods("/api/v1/realtime/video-cache/plan");
