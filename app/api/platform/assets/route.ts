import { dashboardRoute } from "@/server/http/dashboard-route";
import { assetDepsFromEnv, publicBaseUrl, uploadBodyLimit } from "@/server/services/assets";
import { platformUpload } from "@/server/services/assets/platform-upload";

// The dashboard's upload target (XMLHttpRequest with progress): the signed-in user's active workspace.
export const POST = dashboardRoute("platformUpload", (req, ctx) => platformUpload(req, ctx, assetDepsFromEnv(), publicBaseUrl(req)), {
  bodyLimit: () => uploadBodyLimit(assetDepsFromEnv().limits),
});
