import { resolveActiveTenant } from "@/server/api/active-tenant";
import { getSessionUser } from "@/server/auth/session";
import { getDb } from "@/server/db/client";
import { assetDepsFromEnv, publicBaseUrl } from "@/server/services/assets";
import { handlePlatformUpload } from "@/server/services/assets/platform-upload";

// The dashboard's upload target (XMLHttpRequest with progress): the signed-in user's active workspace.
export async function POST(req: Request): Promise<Response> {
  return handlePlatformUpload(
    req,
    getDb,
    async () => {
      const user = await getSessionUser();
      if (!user) return null;
      const tenant = await resolveActiveTenant(await getDb(), user.id, req.headers.get("cookie"));
      return { userId: user.id, tenant };
    },
    assetDepsFromEnv,
    publicBaseUrl(req),
  );
}
