import { apiRoute, json, parseJson } from "@/server/http/api-route";
import { createAvatar, createAvatarInput, listAvatars, toAvatarDto } from "@/server/services/avatars";
import { otherMethods } from "@/server/http/unrouted";

export const GET = apiRoute("listAvatars", async (_req, ctx) => {
  const rows = await listAvatars(ctx.db, ctx.tenant.id);
  return json(200, { data: rows.map(toAvatarDto) });
});

export const POST = apiRoute("createAvatar", async (req, ctx) => {
  const input = await parseJson(req, createAvatarInput);
  return json(201, toAvatarDto(await createAvatar(ctx.db, ctx.tenant.id, input)));
});

// The contract's JSON 405 for every other method.
export const { PUT, PATCH, DELETE } = otherMethods("/api/v1/avatars");
