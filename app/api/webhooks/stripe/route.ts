import { getDb } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { logger } from "@/server/logger";
import { applyPaymentEvent, stripeGateway } from "@/server/services/credits/payments";

export const dynamic = "force-dynamic";

// Stripe → us. The raw body is verified against Stripe-Signature before anything is trusted.
export async function POST(req: Request) {
  const gateway = stripeGateway();
  if (!gateway) return Response.json({ error: "Stripe is not configured on this server." }, { status: 404 });
  const raw = await req.text();
  try {
    const event = gateway.verifyWebhook(raw, req.headers.get("stripe-signature"));
    const result = await applyPaymentEvent(await getDb(), event);
    return Response.json({ received: true, ...result });
  } catch (error) {
    if (error instanceof AppError && (error.code === "unauthorized" || error.code === "unavailable")) {
      logger.warn({ err: error }, "stripe webhook refused");
      return Response.json({ error: error.message }, { status: 400 });
    }
    throw error;
  }
}
