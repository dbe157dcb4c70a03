import "server-only";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createApiKey, createApiKeyInput, listApiKeys, revokeApiKey } from "../../services/api-keys";
import { createPublishableKey, createPublishableKeyInput } from "../../services/publishable-keys";
import { createTRPCRouter, tenantProcedure } from "../trpc";

// Keys carry the workspace's money and data: only owners and admins mint or revoke them.
const managerProcedure = tenantProcedure.use(({ ctx, next }) => {
  if (ctx.tenant.role === "member") throw new TRPCError({ code: "FORBIDDEN", message: "Only owners and admins can manage API keys." });
  return next();
});

export const apiKeysRouter = createTRPCRouter({
  list: tenantProcedure.query(({ ctx }) => listApiKeys(ctx.db, ctx.tenant.id)),
  /** Returns the full key once; the dashboard shows it in a copy-once dialog. */
  create: managerProcedure.input(createApiKeyInput).mutation(({ ctx, input }) => createApiKey(ctx.db, ctx.tenant.id, input, { createdByUserId: ctx.user.id })),
  /** A publishable key (tic_pub_…) for pages: its avatars and origins; shown once like a secret key. */
  createPublishable: managerProcedure
    .input(createPublishableKeyInput)
    .mutation(({ ctx, input }) => createPublishableKey(ctx.db, ctx.tenant.id, input, { createdByUserId: ctx.user.id })),
  /** Revokes either kind of key. */
  revoke: managerProcedure
    .input(z.object({ id: z.string().regex(/^key_[0-9a-z]{1,64}$/, "not an API key id") }))
    .mutation(({ ctx, input }) => revokeApiKey(ctx.db, ctx.tenant.id, input.id)),
});
