import { apiRoute, parseJson } from "@/server/http/api-route";
import { engineUnavailable } from "@/server/http/engine-unavailable";
import { lipsyncRequest } from "@/server/http/schemas/realtime";

export const dynamic = "force-dynamic";

export const POST = apiRoute("lipsync", async (req) => {
  await parseJson(req, lipsyncRequest);
  return engineUnavailable("Lipsync");
});
