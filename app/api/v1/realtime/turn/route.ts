import { apiRoute, parseJson } from "@/server/http/api-route";
import { engineUnavailable } from "@/server/http/engine-unavailable";
import { realtimeTurnRequest } from "@/server/http/schemas/realtime";

export const dynamic = "force-dynamic";

export const POST = apiRoute("realtimeTurn", async (req) => {
  await parseJson(req, realtimeTurnRequest);
  return engineUnavailable("Realtime turn");
});
