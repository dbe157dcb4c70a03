import { getDb } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { BodyTooLarge, bodyLimit, readText } from "@/server/services/request-body";
import { logger } from "@/server/logger";
import { applyPaymentEvent, stripeGateway } from "@/server/services/credits/payments";

export const dynamic = "force-dynamic";

/** Stripe events are a few KiB; the limit is far above any real one and far below what would hurt. */
export const STRIPE_EVENT_LIMIT = bodyLimit(1024 * 1024, 413, "webhook events");

// Stripe → us. The raw body is verified against Stripe-Signature before anything is trusted.
export async function POST(req: Request) {
  const gateway = stripeGateway();
  if (!gateway) return Response.json({ error: "Stripe is not configured on this server." }, { status: 404 });
  try {
    const raw = await readText(req, STRIPE_EVENT_LIMIT);
    const event = gateway.verifyWebhook(raw, req.headers.get("stripe-signature"));
    const result = await applyPaymentEvent(await getDb(), event);
    return Response.json({ received: true, ...result });
  } catch (error) {
    if (error instanceof BodyTooLarge) return Response.json({ error: error.message, code: error.code }, { status: error.status, headers: error.headers });
    if (error instanceof AppError && (error.code === "unauthorized" || error.code === "unavailable")) {
      logger.warn({ err: error }, "stripe webhook refused");
      return Response.json({ error: error.message }, { status: 400 });
    }
    throw error;
  }
}
