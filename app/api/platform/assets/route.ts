import { assetDepsFromEnv, publicBaseUrl } from "@/server/services/assets";
import { handlePlatformUpload } from "@/server/services/assets/platform-upload";

// The dashboard's upload target (XMLHttpRequest with progress): the signed-in user's active workspace.
export async function POST(req: Request): Promise<Response> {
  return handlePlatformUpload(req, assetDepsFromEnv, publicBaseUrl(req));
}
