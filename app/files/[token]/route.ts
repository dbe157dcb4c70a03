import { getDb } from "@/server/db/client";
import { serveAssetFile } from "@/server/services/assets/serve-file";
import { getStorage } from "@/server/services/storage";

// Public asset bytes: no session or API key — the unguessable token in the URL is the capability.
type Ctx = { params: Promise<{ token: string }> };

export async function GET(req: Request, ctx: Ctx): Promise<Response> {
  const { token } = await ctx.params;
  return serveAssetFile(await getDb(), getStorage(), token, req);
}

export async function HEAD(req: Request, ctx: Ctx): Promise<Response> {
  return GET(req, ctx);
}
