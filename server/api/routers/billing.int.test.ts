import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgliteTestDb, type TestDatabase } from "../../testing/databases";
import { applyPaymentEvent, parseStripeEvent, type PaymentsGateway } from "../../services/credits/payments";
import { reserveCredits, settleReservation } from "../../services/credits/ledger";
import { signUp } from "../../services/users";
import { createCaller } from "../root";
import { setPaymentsGatewayFactory } from "./billing";

process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret";
const WEBHOOK_SECRET = "whsec_test_secret";

// Stripe Checkout needs the network: the fake records sessions behind the real interface.
class FakeStripe implements PaymentsGateway {
  sessions: { id: string; tenantId: string; minutes: number }[] = [];
  async createCheckout(req: { tenantId: string; minutes: number }) {
    const id = `cs_test_${this.sessions.length + 1}`;
    this.sessions.push({ id, tenantId: req.tenantId, minutes: req.minutes });
    return { id, url: `https://checkout.stripe.test/${id}` };
  }
  verifyWebhook(raw: string, signature: string | null) {
    return parseStripeEvent(raw, signature, WEBHOOK_SECRET);
  }
}

function signedEvent(session: { id: string; tenantId: string; minutes: number }, paid = true) {
  const payload = JSON.stringify({
    id: `evt_${session.id}`,
    object: "event",
    type: "checkout.session.completed",
    data: { object: { id: session.id, object: "checkout.session", payment_status: paid ? "paid" : "unpaid", metadata: { tenantId: session.tenantId, minutes: String(session.minutes) } } },
  });
  return { payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) };
}

describe("billing, api keys and usage through tRPC", () => {
  let t: TestDatabase;
  let owner: Awaited<ReturnType<typeof signUp>>;
  const fake = new FakeStripe();
  const api = () => createCaller({ db: t.db, user: { ...owner.user, name: null }, headers: new Headers({ host: "app.test" }), resHeaders: new Headers() });

  beforeAll(async () => {
    t = await pgliteTestDb();
    owner = await signUp(t.db, { name: "Olga", email: "olga@example.com", password: "olga-password-1" });
  });
  afterAll(() => t?.close());

  it("creates a key once (full secret), lists it redacted, revokes it", async () => {
    const created = await api().apiKeys.create({ name: "server", environment: "live", scopes: ["realtime:write"], spendLimitCreditMicros: 60_000_000 });
    expect(created.apiKey).toMatch(/^tic_live_/);
    const listed = await api().apiKeys.list();
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(created.apiKey);
    expect(listed[0]).toMatchObject({ redactedKey: created.redactedKey, status: "active", spendLimitCreditMicros: 60_000_000 });
    expect((await api().apiKeys.revoke({ id: created.id })).status).toBe("revoked");
    await expect(api().apiKeys.revoke({ id: "key_unknown" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("without Stripe: owners grant sandbox minutes, checkout is refused", async () => {
    setPaymentsGatewayFactory(() => null);
    const overview = await api().billing.overview();
    expect(overview.stripeEnabled).toBe(false);
    expect(overview.balances.map((b) => b.environment)).toEqual(["test", "live"]);
    const after = await api().billing.grantSandbox({ minutes: 10 });
    expect(after.availableCreditMicros).toBe(40 * 60 * 1_000_000);
    await expect(api().billing.grantSandbox({ minutes: 10_000 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api().billing.checkout({ minutes: 60 })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    const ledger = await api().billing.ledger({ environment: "test" });
    expect(ledger[0]).toMatchObject({ kind: "grant", reason: "sandbox_top_up", amountMicros: 600_000_000 });
  });

  it("with Stripe: checkout, then a signed webhook grants live minutes exactly once", async () => {
    setPaymentsGatewayFactory(() => fake);
    const { url } = await api().billing.checkout({ minutes: 60 });
    expect(url).toContain("checkout.stripe.test");
    const session = fake.sessions[0]!;
    const { payload, signature } = signedEvent(session);
    for (let i = 0; i < 3; i++) await applyPaymentEvent(t.db, fake.verifyWebhook(payload, signature));
    const live = (await api().billing.overview()).balances[1]!;
    expect(live.availableCreditMicros).toBe(60 * 60 * 1_000_000);
    // A forged or tampered payload is refused by Stripe's signature check.
    expect(() => fake.verifyWebhook(payload.replace('"60"', '"6000"'), signature)).toThrow(/signature/);
    expect(() => fake.verifyWebhook(payload, "t=1,v1=deadbeef")).toThrow(/signature/);
    // An unpaid session grants nothing.
    const unpaid = signedEvent({ id: "cs_unpaid", tenantId: owner.tenant.id, minutes: 10 }, false);
    expect(await applyPaymentEvent(t.db, fake.verifyWebhook(unpaid.payload, unpaid.signature))).toEqual({ granted: false });
  });

  it("reports settled usage per day", async () => {
    const r = await reserveCredits(t.db, { tenantId: owner.tenant.id, environment: "live", amountMicros: 10_000_000, purpose: "realtime_turn" });
    await settleReservation(t.db, { tenantId: owner.tenant.id, reservationId: r.id, actualMicros: 7_500_000, usage: { kind: "realtime_turn", renderedMs: 7500 } });
    const days = await api().usage.byDay({ environment: "live", days: 7 });
    expect(days).toHaveLength(7);
    expect(days.at(-1)).toMatchObject({ renderedMs: 7500, creditMicros: 7_500_000, events: 1 });
  });
});
