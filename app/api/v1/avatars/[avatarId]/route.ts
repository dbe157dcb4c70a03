import { AppError } from "@/server/errors";
import { apiRoute, json, parseJson } from "@/server/http/api-route";
import { deleteAvatar, getAvatar, toAvatarDto, updateAvatar, updateAvatarInput } from "@/server/services/avatars";
import { otherMethods } from "@/server/http/unrouted";

// The contract's path pattern is ^ava_; anything else cannot name an avatar.
function avatarId(params: Record<string, string>): string {
  const id = params.avatarId ?? "";
  if (!/^ava_[0-9a-z]{1,64}$/.test(id)) throw new AppError("not_found", "Avatar not found in this workspace; avatar ids start with ava_.");
  return id;
}

export const GET = apiRoute("getAvatar", async (_req, ctx) => json(200, toAvatarDto(await getAvatar(ctx.db, ctx.tenant.id, avatarId(ctx.params)))));

export const PATCH = apiRoute("updateAvatar", async (req, ctx) => {
  const id = avatarId(ctx.params);
  const input = await parseJson(req, updateAvatarInput);
  return json(200, toAvatarDto(await updateAvatar(ctx.db, ctx.tenant.id, id, input)));
});

export const DELETE = apiRoute("deleteAvatar", async (_req, ctx) => {
  await deleteAvatar(ctx.db, ctx.tenant.id, avatarId(ctx.params));
  return json(204, null);
});

// The contract's JSON 405 for every other method.
export const { POST, PUT } = otherMethods("/api/v1/avatars/{avatarId}");
