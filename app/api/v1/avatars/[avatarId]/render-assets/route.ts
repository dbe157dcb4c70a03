import { AppError } from "@/server/errors";
import { apiRoute, json } from "@/server/http/api-route";
import { browserPreflight } from "@/server/http/publishable-edge";
import { otherMethods } from "@/server/http/unrouted";
import { assertPublishableAvatar } from "@/server/services/publishable-keys";
import { renderAssets } from "@/server/services/realtime/render-assets";

// What a browser needs to draw the avatar itself (the widget's audio mode, docs/widget.md): its
// rig and portrait URL; no session. Your server reads it with its key and hands it to the page, or
// the page reads it itself with a publishable key (from one of its origins, checked by the edge)
// for an avatar that key names.
export const GET = apiRoute("getAvatarRenderAssets", async (_req, ctx) => {
  const id = ctx.params.avatarId ?? "";
  if (!/^ava_[0-9a-z]{1,64}$/.test(id)) throw new AppError("not_found", "Avatar not found in this workspace; avatar ids start with ava_.");
  if (ctx.key.kind === "publishable") assertPublishableAvatar(ctx.key, id, "avatarId");
  return json(200, await renderAssets(ctx.db, ctx.tenant.id, id));
});

// The browser's preflight for a page's read with a publishable key (see server/http/publishable-edge.ts).
export const OPTIONS = browserPreflight(["GET", "HEAD"]);

export const { POST, PUT, PATCH, DELETE } = otherMethods("/api/v1/avatars/{avatarId}/render-assets");
