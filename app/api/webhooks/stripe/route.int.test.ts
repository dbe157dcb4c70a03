import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db/client";
import { seedTenant, useTestDatabase } from "@/server/http/testing/test-api";
import { getCreditBalance } from "@/server/services/credits/wallets";
import { itRefusesHugeBodies } from "@/server/http/testing/body-limit-cases";
import { POST, STRIPE_EVENT_LIMIT } from "./route";

// The webhook route with the real Stripe client's signature verification (offline; no API call).
const SECRET = "whsec_route_test";
let db: Db;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  process.env.STRIPE_SECRET_KEY = "sk_test_not_used_for_webhooks";
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
  ({ db, cleanup } = await useTestDatabase("pglite"));
});
afterAll(() => cleanup());

function deliver(payload: string, signature: string) {
  return POST(new Request("http://localhost/api/webhooks/stripe", { method: "POST", body: payload, headers: { "stripe-signature": signature } }));
}

describe("POST /api/webhooks/stripe", () => {
  it("grants a paid checkout's minutes to the live wallet once, and refuses bad signatures", async () => {
    const tenant = await seedTenant(db);
    const payload = JSON.stringify({
      id: "evt_1",
      object: "event",
      type: "checkout.session.completed",
      data: { object: { id: "cs_route_1", object: "checkout.session", payment_status: "paid", metadata: { tenantId: tenant.id, minutes: "10" } } },
    });
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    const first = await deliver(payload, signature);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ received: true, granted: true });
    const retry = await deliver(payload, signature);
    expect(await retry.json()).toMatchObject({ received: true, granted: false });
    expect((await getCreditBalance(db, tenant.id, "live")).availableCreditMicros).toBe(600_000_000);

    const forged = await deliver(payload.replace('"10"', '"1000"'), signature);
    expect(forged.status).toBe(400);
    const unsigned = await deliver(payload, "");
    expect(unsigned.status).toBe(400);
    expect((await getCreditBalance(db, tenant.id, "live")).availableCreditMicros).toBe(600_000_000);
  });

  itRefusesHugeBodies("refuses a huge %s body with 413 before verifying it, reading at most the limit", {
    url: "http://localhost/api/webhooks/stripe",
    headers: { "stripe-signature": "t=1,v1=00" },
    maxBytes: STRIPE_EVENT_LIMIT.maxBytes,
    send: POST,
  });
});
