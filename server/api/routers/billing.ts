import "server-only";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { stripeGateway, TOP_UP_PACKS_MINUTES, type PaymentsGateway } from "../../services/credits/payments";
import { listLedgerEntries } from "../../services/credits/reports";
import { grantSandboxTopUp, MAX_SANDBOX_TOP_UP_MINUTES, sandboxTopUpMinutesRemaining } from "../../services/credits/sandbox-grants";
import { getCreditBalance } from "../../services/credits/wallets";
import { publicBaseUrlFromHeaders } from "../../services/assets";
import { createTRPCRouter, tenantProcedure } from "../trpc";

const env = z.enum(["test", "live"]);

// Swappable for tests (a fake gateway with the same interface); production reads STRIPE_SECRET_KEY.
let gatewayFactory: () => PaymentsGateway | null = () => stripeGateway();
/** Replaces the payments gateway (tests use a fake Stripe behind the same interface). */
export function setPaymentsGatewayFactory(factory: () => PaymentsGateway | null) {
  gatewayFactory = factory;
}

export const billingRouter = createTRPCRouter({
  overview: tenantProcedure.query(async ({ ctx }) => ({
    balances: await Promise.all([getCreditBalance(ctx.db, ctx.tenant.id, "test"), getCreditBalance(ctx.db, ctx.tenant.id, "live")]),
    stripeEnabled: gatewayFactory() !== null,
    packsMinutes: [...TOP_UP_PACKS_MINUTES],
    canGrantSandbox: ctx.tenant.role === "owner",
    maxSandboxGrantMinutes: MAX_SANDBOX_TOP_UP_MINUTES,
    sandboxTopUpMinutesRemaining: await sandboxTopUpMinutesRemaining(ctx.db, ctx.tenant.id),
  })),
  ledger: tenantProcedure
    .input(z.object({ environment: env.optional(), limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => listLedgerEntries(ctx.db, ctx.tenant.id, input)),
  /** Owners can add free sandbox minutes, up to a lifetime total (test wallet only; live credit is always paid). */
  grantSandbox: tenantProcedure.input(z.object({ minutes: z.number().int().min(1).max(MAX_SANDBOX_TOP_UP_MINUTES) })).mutation(async ({ ctx, input }) => {
    if (ctx.tenant.role !== "owner") throw new TRPCError({ code: "FORBIDDEN", message: "Only the workspace owner can add sandbox credits." });
    await grantSandboxTopUp(ctx.db, { tenantId: ctx.tenant.id, minutes: input.minutes, userId: ctx.user.id });
    return getCreditBalance(ctx.db, ctx.tenant.id, "test");
  }),
  /** Starts a Stripe Checkout for live minutes; the webhook grants them once paid. */
  checkout: tenantProcedure
    .input(z.object({ minutes: z.number().int().refine((m) => (TOP_UP_PACKS_MINUTES as readonly number[]).includes(m), "choose one of the offered packs") }))
    .mutation(async ({ ctx, input }) => {
      if (ctx.tenant.role === "member") throw new TRPCError({ code: "FORBIDDEN", message: "Only owners and admins can buy credits." });
      const gateway = gatewayFactory();
      if (!gateway) throw new TRPCError({ code: "PRECONDITION_FAILED", message: "Payments are not configured on this server (STRIPE_SECRET_KEY)." });
      const base = publicBaseUrlFromHeaders(ctx.headers);
      return gateway.createCheckout({
        tenantId: ctx.tenant.id,
        minutes: input.minutes,
        customerEmail: ctx.user.email ?? undefined,
        successUrl: `${base}/platform/billing?checkout=success`,
        cancelUrl: `${base}/platform/billing?checkout=cancelled`,
      });
    }),
});
