import "server-only";
import { z } from "zod";
import { createAvatar, createAvatarInput, deleteAvatar, getAvatar, listAvatars, setAvatarStatus, toAvatarDto, updateAvatar, updateAvatarInput } from "../../services/avatars";
import { findAsset, publicBaseUrlFromHeaders, toAssetDto } from "../../services/assets";
import { planVideoCache } from "../../services/video-avatars/plan";
import { createTRPCRouter, tenantProcedure } from "../trpc";

const id = z.object({ id: z.string().regex(/^ava_[0-9a-z]{1,64}$/, "not an avatar id") });

export const avatarsRouter = createTRPCRouter({
  list: tenantProcedure.query(async ({ ctx }) => (await listAvatars(ctx.db, ctx.tenant.id)).map(toAvatarDto)),
  get: tenantProcedure.input(id).query(async ({ ctx, input }) => toAvatarDto(await getAvatar(ctx.db, ctx.tenant.id, input.id))),
  create: tenantProcedure.input(createAvatarInput).mutation(async ({ ctx, input }) => toAvatarDto(await createAvatar(ctx.db, ctx.tenant.id, input))),
  update: tenantProcedure
    .input(id.extend({ patch: updateAvatarInput }))
    .mutation(async ({ ctx, input }) => toAvatarDto(await updateAvatar(ctx.db, ctx.tenant.id, input.id, input.patch))),
  setEnabled: tenantProcedure
    .input(id.extend({ enabled: z.boolean() }))
    .mutation(async ({ ctx, input }) => toAvatarDto(await setAvatarStatus(ctx.db, ctx.tenant.id, input.id, input.enabled ? "draft" : "disabled"))),
  /** A video avatar's default plan and loop (the dashboard polls it while the avatar is prepared). */
  videoCache: tenantProcedure.input(id).query(async ({ ctx, input }) => {
    const answer = await planVideoCache(ctx.db, ctx.tenant.id, input.id, {});
    const loopId = "loop_asset_id" in answer.manifest ? answer.manifest.loop_asset_id : null;
    const loop = loopId ? await findAsset(ctx.db, ctx.tenant.id, loopId) : undefined;
    return { ...answer, loopUrl: loop ? toAssetDto(loop, publicBaseUrlFromHeaders(ctx.headers)).publicUrl : null };
  }),
  remove: tenantProcedure.input(id).mutation(async ({ ctx, input }) => {
    await deleteAvatar(ctx.db, ctx.tenant.id, input.id);
    return { id: input.id };
  }),
});
