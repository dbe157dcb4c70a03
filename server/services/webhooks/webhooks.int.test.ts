// session.ended webhooks against a real local HTTP receiver: signed with the workspace secret (the
// SDK's verifyWebhook checks it), retried with backoff when the receiver fails, failed for good when
// attempts run out, refused when the URL points inside the network, and listed per workspace.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { newId } from "@/core/ids/new-id";
import { verifyWebhook } from "@/packages/sdk/src";
import { createCaller } from "@/server/api/root";
import { avatars, realtimeSessions, realtimeThreads, threadMessages, webhookDeliveries } from "@/server/db/schema";
import { seedTenant } from "@/server/http/testing/test-api";
import { resetProcessState } from "@/server/process-state";
import { TEST_DATABASES, type TestDatabase } from "@/server/testing/databases";
import { checkPublicAddress } from "../net/ip-address";
import type { AddressPolicy } from "../net/safe-fetch";
import { kickWebhookDrainer } from "./drainer";
import { attemptDeliveryById, drainDueDeliveries, enqueueDelivery, redeliver, type DeliverySettings } from "./deliveries";
import { rotateWebhookSecret, setWebhookEndpoint } from "./endpoint";
import { notifySessionEnded } from "./notify";

process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret";

type Hit = { at: number; body: string; headers: http.IncomingHttpHeaders };
let receiver: http.Server;
let port = 0;
let hits: Hit[] = [];
/** What the receiver answers next (per request). */
let answer: () => number = () => 200;

// The receiver is the one local address the test admits, playing a customer's public server.
const admitReceiver: AddressPolicy = (address, p) => ((address === "127.0.0.1" || address === "::ffff:127.0.0.1") && p === port ? { ok: true } : checkPublicAddress(address));
const settings = (o: Partial<DeliverySettings> = {}): DeliverySettings => ({ maxAttempts: 3, retryBaseMs: 60, timeoutMs: 2_000, policy: admitReceiver, ...o });

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      hits.push({ at: Date.now(), body: Buffer.concat(chunks).toString("utf8"), headers: req.headers });
      const status = answer();
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status >= 300 ? "receiver is down for maintenance" : "ok");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));
beforeEach(() => {
  hits = [];
  answer = () => 200;
});

/** A workspace with an avatar and one ended session holding a two-turn transcript. */
async function endedSession(db: TestDatabase["db"], tenantId: string) {
  const avatarId = newId("ava");
  await db.insert(avatars).values({ id: avatarId, tenantId, displayName: "Guide", sourceKind: "image", modelId: "tic-portrait-v1", status: "ready" });
  const threadId = newId("thr");
  await db.insert(realtimeThreads).values({ id: threadId, tenantId, environment: "test", avatarId });
  const sessionId = newId("ses");
  const connectedAt = new Date(Date.now() - 65_000);
  await db.insert(realtimeSessions).values({
    id: sessionId, tenantId, environment: "test", avatarId, threadId, status: "ended", config: {}, secretHash: newId("h"), secretExpiresAt: new Date(),
    connectedAt, endedAt: new Date(connectedAt.getTime() + 61_500), endReason: "idle_timeout", speechMs: 4_200, billedMicros: 4_200_000, metadata: { order: "A-17" },
  });
  await db.insert(threadMessages).values([
    { tenantId, threadId, sessionId, role: "user", text: "what are your opening hours", startMs: 1_000, endMs: 2_600 },
    { tenantId, threadId, sessionId, role: "assistant", text: "We open at nine", interrupted: true, startMs: 3_100, endMs: 4_200 },
  ]);
  return sessionId;
}

const deliveryOf = async (db: TestDatabase["db"], id: string) => (await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)))[0]!;

describe.each(TEST_DATABASES)("session.ended webhooks on %s", (_name, open) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => {
    await resetProcessState(); // the drainer's timer
    await t?.close();
  });

  it("delivers the session and its transcript, signed so that verifyWebhook accepts it", async () => {
    const tenant = await seedTenant(t.db);
    const endpoint = await setWebhookEndpoint(t.db, tenant.id, { url: `http://127.0.0.1:${port}/hooks/tic` });
    const sessionId = await endedSession(t.db, tenant.id);
    const row = await notifySessionEnded(t.db, sessionId, settings());
    expect(row).not.toBeNull();
    await kickWebhookDrainer(t.db, settings());
    expect(hits).toHaveLength(1);
    const hit = hits[0]!;
    expect(hit.headers["tic-event"]).toBe("session.ended");
    expect(hit.headers["tic-delivery"]).toBe(row!.id);
    const event = await verifyWebhook<{ session: Record<string, unknown>; transcript: Record<string, unknown>[] }>(hit.body, hit.headers["tic-signature"] as string, endpoint.secret);
    expect(event.type).toBe("session.ended");
    expect(event.data.session).toMatchObject({ id: sessionId, end_reason: "idle_timeout", duration_ms: 61_500, speech_ms: 4_200, billed_credit_micros: 4_200_000, metadata: { order: "A-17" } });
    expect(event.data.transcript).toEqual([
      expect.objectContaining({ role: "user", text: "what are your opening hours", start_ms: 1_000, interrupted: false }),
      expect.objectContaining({ role: "assistant", text: "We open at nine", interrupted: true, end_ms: 4_200 }),
    ]);
    // Anyone holding an old or another secret cannot pass it off.
    await expect(verifyWebhook(hit.body, hit.headers["tic-signature"] as string, "whsec_wrong")).rejects.toMatchObject({ code: "invalid_signature" });
    expect(await deliveryOf(t.db, row!.id)).toMatchObject({ status: "succeeded", attempts: 1, responseStatus: 200, lastError: null });

    // Ending twice (two paths, two instances) sends nothing twice.
    const again = await notifySessionEnded(t.db, sessionId, settings());
    expect(again!.id).toBe(row!.id);
    await kickWebhookDrainer(t.db, settings());
    expect(hits).toHaveLength(1);
  });

  it("retries a failing receiver with doubling delays, then marks the delivery failed", async () => {
    const tenant = await seedTenant(t.db);
    await setWebhookEndpoint(t.db, tenant.id, { url: `http://127.0.0.1:${port}/hooks/down` });
    answer = () => 503;
    const row = await notifySessionEnded(t.db, await endedSession(t.db, tenant.id), settings());
    await kickWebhookDrainer(t.db, settings());
    for (let i = 0; i < 200 && (await deliveryOf(t.db, row!.id)).status !== "failed"; i++) {
      await new Promise((r) => setTimeout(r, 20));
      await drainDueDeliveries(t.db, settings());
    }
    const failed = await deliveryOf(t.db, row!.id);
    expect(failed).toMatchObject({ status: "failed", attempts: 3, responseStatus: 503 });
    expect(failed.lastError).toContain("HTTP 503: receiver is down");
    expect(hits).toHaveLength(3);
    // Same bytes every attempt, each with its attempt number; waits of >= 60 ms, then >= 120 ms.
    expect(new Set(hits.map((h) => h.body)).size).toBe(1);
    expect(hits.map((h) => h.headers["tic-attempt"])).toEqual(["1", "2", "3"]);
    const gaps = [hits[1]!.at - hits[0]!.at, hits[2]!.at - hits[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(55);
    expect(gaps[1]).toBeGreaterThanOrEqual(115);
    console.log(`retry gaps: ${gaps.join(" ms, ")} ms (base 60 ms)`);

    // The receiver is back: the dashboard's Redeliver sends it again from the first attempt.
    answer = () => 204;
    expect(await redeliver(t.db, tenant.id, row!.id)).toBe(true);
    await kickWebhookDrainer(t.db, settings());
    expect(await deliveryOf(t.db, row!.id)).toMatchObject({ status: "succeeded", attempts: 1, responseStatus: 204 });
  });

  it("attempts one delivery by id (the jobs-queue handler's entry), once", async () => {
    const tenant = await seedTenant(t.db);
    await setWebhookEndpoint(t.db, tenant.id, { url: `http://127.0.0.1:${port}/hooks/by-id` });
    // Queued without a drain: the row waits until something attempts it.
    const row = await enqueueDelivery(t.db, { tenantId: tenant.id, event: "session.ended", subjectId: "ses_byid", body: '{"id":"evt_byid"}', maxAttempts: 3 });
    const done = await attemptDeliveryById(t.db, tenant.id, row!.id, settings());
    expect(done).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(hits.map((h) => h.body)).toEqual(['{"id":"evt_byid"}']);
    // Finished, or another workspace's id: nothing is sent again.
    expect(await attemptDeliveryById(t.db, tenant.id, row!.id, settings())).toBeNull();
    expect(await attemptDeliveryById(t.db, (await seedTenant(t.db)).id, row!.id, settings())).toBeNull();
    expect(hits).toHaveLength(1);
  });

  it("never connects to an internal address: the attempt is refused and recorded", async () => {
    const tenant = await seedTenant(t.db);
    await setWebhookEndpoint(t.db, tenant.id, { url: `http://127.0.0.1:${port}/hooks/inside` });
    const publicOnly = settings({ policy: undefined, maxAttempts: 1 });
    const row = await notifySessionEnded(t.db, await endedSession(t.db, tenant.id), publicOnly);
    await kickWebhookDrainer(t.db, publicOnly);
    expect(hits).toHaveLength(0);
    const refused = await deliveryOf(t.db, row!.id);
    expect(refused).toMatchObject({ status: "failed", attempts: 1, responseStatus: null });
    expect(refused.lastError).toContain("address_not_allowed");
  });

  it("lists deliveries to the workspace's own members only, and signs with the rotated secret", async () => {
    const a = await seedTenant(t.db);
    const b = await seedTenant(t.db);
    await setWebhookEndpoint(t.db, a.id, { url: `http://127.0.0.1:${port}/hooks/a` });
    const rotated = await rotateWebhookSecret(t.db, a.id);
    const sessionId = await endedSession(t.db, a.id);
    await notifySessionEnded(t.db, sessionId, settings());
    await kickWebhookDrainer(t.db, settings());
    await verifyWebhook(hits[0]!.body, hits[0]!.headers["tic-signature"] as string, rotated.secret);

    const callerOf = (tenant: { ownerUserId: string }) => createCaller({ db: t.db, user: { id: tenant.ownerUserId, email: "o@example.test", name: null }, headers: new Headers(), resHeaders: new Headers() });
    const listed = await callerOf(a).webhooks.deliveries();
    expect(listed).toEqual([expect.objectContaining({ event: "session.ended", subjectId: sessionId, status: "succeeded", attempts: 1, responseStatus: 200 })]);
    expect(await callerOf(b).webhooks.deliveries()).toEqual([]);
    expect(await callerOf(b).webhooks.endpoint()).toBeNull();
    await expect(callerOf(b).webhooks.redeliver({ id: listed[0]!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // A workspace without a URL gets no delivery at all.
    expect(await notifySessionEnded(t.db, await endedSession(t.db, b.id), settings())).toBeNull();
  });

  it("refuses a URL that is not plain http(s)", async () => {
    const tenant = await seedTenant(t.db);
    const owner = createCaller({ db: t.db, user: { id: tenant.ownerUserId, email: "o@example.test", name: null }, headers: new Headers(), resHeaders: new Headers() });
    await expect(owner.webhooks.set({ url: "file:///etc/passwd" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(owner.webhooks.set({ url: "https://user:pw@example.com/hook" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const set = await owner.webhooks.set({ url: "https://hooks.example.com/tic" });
    expect(set.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  });
});
