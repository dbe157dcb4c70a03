import { AppError } from "@/server/errors";
import { apiRoute, json } from "@/server/http/api-route";
import { otherMethods } from "@/server/http/unrouted";
import { renderAssets } from "@/server/services/realtime/render-assets";

// What a browser needs to draw the avatar itself (the widget's audio mode, docs/widget.md): its
// rig and portrait URL. Your server reads it with its key and hands it to the page; no session.
export const GET = apiRoute("getAvatarRenderAssets", async (_req, ctx) => {
  const id = ctx.params.avatarId ?? "";
  if (!/^ava_[0-9a-z]{1,64}$/.test(id)) throw new AppError("not_found", "Avatar not found in this workspace; avatar ids start with ava_.");
  return json(200, await renderAssets(ctx.db, ctx.tenant.id, id));
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("/api/v1/avatars/{avatarId}/render-assets");
