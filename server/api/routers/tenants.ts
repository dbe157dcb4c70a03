import "server-only";
import { z } from "zod";
import { tenantNameSchema } from "@/core/accounts/account-input";
import { createTenant, getMembership, listMembers, listTenantsForUser, renameTenant } from "../../services/tenants";
import { ACTIVE_TENANT_COOKIE, TENANT_REF } from "../active-tenant";
import { createTRPCRouter, protectedProcedure, tenantProcedure } from "../trpc";

function activeCookie(tenantId: string) {
  return `${ACTIVE_TENANT_COOKIE}=${encodeURIComponent(tenantId)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000`;
}

export const tenantsRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listTenantsForUser(ctx.db, ctx.user.id)),
  active: tenantProcedure.query(({ ctx }) => ctx.tenant),
  create: protectedProcedure.input(z.object({ name: tenantNameSchema })).mutation(async ({ ctx, input }) => {
    const tenant = await createTenant(ctx.db, { name: input.name, ownerUserId: ctx.user.id });
    ctx.resHeaders.append("set-cookie", activeCookie(tenant.id));
    return tenant;
  }),
  switch: protectedProcedure.input(z.object({ tenantId: z.string().regex(TENANT_REF, "not a workspace id or slug") })).mutation(async ({ ctx, input }) => {
    const tenant = await getMembership(ctx.db, ctx.user.id, input.tenantId);
    ctx.resHeaders.append("set-cookie", activeCookie(tenant.id));
    return tenant;
  }),
  rename: tenantProcedure.input(z.object({ name: tenantNameSchema })).mutation(({ ctx, input }) => renameTenant(ctx.db, ctx.tenant, input.name)),
  members: tenantProcedure.query(({ ctx }) => listMembers(ctx.db, ctx.tenant.id)),
});
