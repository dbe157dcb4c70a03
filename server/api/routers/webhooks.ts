import "server-only";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { deleteWebhookEndpoint, getWebhookEndpoint, listDeliveries, redeliver, rotateWebhookSecret, setWebhookEndpoint, setWebhookInput } from "../../services/webhooks";
import { createTRPCRouter, tenantProcedure } from "../trpc";

// The signing secret proves deliveries come from us: only owners and admins see, set or rotate it.
const managerProcedure = tenantProcedure.use(({ ctx, next }) => {
  if (ctx.tenant.role === "member") throw new TRPCError({ code: "FORBIDDEN", message: "Only owners and admins can manage webhooks." });
  return next();
});

export const webhooksRouter = createTRPCRouter({
  endpoint: managerProcedure.query(({ ctx }) => getWebhookEndpoint(ctx.db, ctx.tenant.id)),
  set: managerProcedure.input(setWebhookInput).mutation(({ ctx, input }) => setWebhookEndpoint(ctx.db, ctx.tenant.id, input)),
  rotateSecret: managerProcedure.mutation(({ ctx }) => rotateWebhookSecret(ctx.db, ctx.tenant.id)),
  remove: managerProcedure.mutation(({ ctx }) => deleteWebhookEndpoint(ctx.db, ctx.tenant.id)),
  deliveries: tenantProcedure.input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 })).query(({ ctx, input }) => listDeliveries(ctx.db, ctx.tenant.id, input.limit)),
  redeliver: managerProcedure.input(z.object({ id: z.string().regex(/^whd_[0-9a-z]{1,64}$/, "not a delivery id") })).mutation(async ({ ctx, input }) => {
    if (!(await redeliver(ctx.db, ctx.tenant.id, input.id))) throw new TRPCError({ code: "NOT_FOUND", message: "No failed delivery with this id in this workspace." });
    return { ok: true };
  }),
});
