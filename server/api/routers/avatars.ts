import "server-only";
import { z } from "zod";
import { createAvatar, createAvatarInput, deleteAvatar, getAvatar, listAvatars, setAvatarStatus, toAvatarDto, updateAvatar, updateAvatarInput } from "../../services/avatars";
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
  remove: tenantProcedure.input(id).mutation(async ({ ctx, input }) => {
    await deleteAvatar(ctx.db, ctx.tenant.id, input.id);
    return { id: input.id };
  }),
});
