import "server-only";
import Stripe from "stripe";
import { getEnv } from "../../env";
import { AppError } from "../../errors";
import { logger } from "../../logger";
import { grantCredits } from "./ledger";
import { MICROS_PER_SECOND } from "./wallets";
import type { Db } from "../../db/client";

// Top-ups through Stripe Checkout. The gateway interface is what the dashboard and the webhook use;
// production wires the official `stripe` client, tests a fake with the same shape (Checkout needs
// the network). Webhook signatures are always verified with Stripe's own code.

/** Realtime-minute packs offered at checkout. */
export const TOP_UP_PACKS_MINUTES = [10, 60, 300] as const;

export type CheckoutRequest = { tenantId: string; minutes: number; successUrl: string; cancelUrl: string; customerEmail?: string };
export type VerifiedEvent = { id: string; type: string; session?: { id: string; paid: boolean; tenantId?: string; minutes?: number } };

export interface PaymentsGateway {
  createCheckout(req: CheckoutRequest): Promise<{ id: string; url: string }>;
  /** Verifies the Stripe-Signature header over the raw body; throws on a bad signature. */
  verifyWebhook(rawBody: string, signature: string | null): VerifiedEvent;
}

let memo: { key: string; gateway: PaymentsGateway } | undefined;

/** The Stripe-backed gateway, or null when STRIPE_SECRET_KEY is not configured. */
export function stripeGateway(env = getEnv()): PaymentsGateway | null {
  if (!env.STRIPE_SECRET_KEY) return null;
  if (memo?.key !== env.STRIPE_SECRET_KEY) memo = { key: env.STRIPE_SECRET_KEY, gateway: createStripeGateway(env.STRIPE_SECRET_KEY, env) };
  return memo.gateway;
}

function createStripeGateway(secretKey: string, env: ReturnType<typeof getEnv>): PaymentsGateway {
  const stripe = new Stripe(secretKey);
  return {
    async createCheckout(req) {
      const session = await stripe.checkout.sessions.create({
        mode: "payment",
        client_reference_id: req.tenantId,
        customer_email: req.customerEmail,
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: env.STRIPE_CURRENCY,
              unit_amount: req.minutes * env.STRIPE_CENTS_PER_MINUTE,
              product_data: { name: `${req.minutes} realtime avatar minutes` },
            },
          },
        ],
        metadata: { tenantId: req.tenantId, minutes: String(req.minutes) },
        success_url: req.successUrl,
        cancel_url: req.cancelUrl,
      });
      if (!session.url) throw new AppError("upstream_failed", "Stripe did not return a checkout URL; try again.");
      return { id: session.id, url: session.url };
    },
    verifyWebhook(rawBody, signature) {
      return parseStripeEvent(rawBody, signature, env.STRIPE_WEBHOOK_SECRET);
    },
  };
}

/** Stripe's signature check + the fields we use; throws AppError unauthorized on a bad signature. */
export function parseStripeEvent(rawBody: string, signature: string | null, secret: string | undefined): VerifiedEvent {
  if (!secret) throw new AppError("unavailable", "STRIPE_WEBHOOK_SECRET is not configured; the webhook cannot be verified.");
  let event: { id: string; type: string; data: { object: Record<string, unknown> } };
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signature ?? "", secret) as unknown as typeof event;
  } catch (cause) {
    throw new AppError("unauthorized", "Stripe webhook signature verification failed.", { cause });
  }
  if (event.type !== "checkout.session.completed" && event.type !== "checkout.session.async_payment_succeeded") return { id: event.id, type: event.type };
  const s = event.data.object as { id: string; payment_status?: string; metadata?: Record<string, string> | null };
  return {
    id: event.id,
    type: event.type,
    session: { id: s.id, paid: s.payment_status === "paid", tenantId: s.metadata?.tenantId, minutes: Number(s.metadata?.minutes) || undefined },
  };
}

/**
 * Applies a verified webhook event: a paid checkout grants its minutes to the live wallet, once per
 * checkout session (Stripe retries webhooks; the ledger reason `stripe:<session id>` dedupes).
 */
export async function applyPaymentEvent(db: Db, event: VerifiedEvent): Promise<{ granted: boolean }> {
  const s = event.session;
  if (!s || !s.paid) return { granted: false };
  if (!s.tenantId || !s.minutes) {
    logger.warn({ eventId: event.id, sessionId: s.id }, "paid checkout without tenant metadata; not granted");
    return { granted: false };
  }
  return grantCredits(db, {
    tenantId: s.tenantId,
    environment: "live",
    amountMicros: s.minutes * 60 * MICROS_PER_SECOND,
    reason: `stripe:${s.id}`,
    metadata: { stripeEventId: event.id, minutes: s.minutes },
    once: true,
  });
}
