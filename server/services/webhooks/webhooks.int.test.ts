// session.ended webhooks against a real local HTTP receiver, delivered by `webhook-delivery` jobs on
// the real queue (pg-boss) and a real worker in this process: signed with the workspace secret (the
// SDK's verifyWebhook checks it), retried with backoff when the receiver fails, failed for good
// (row and job) when attempts run out, redelivered, refused when the URL points inside the network,
// picked up again when the worker holding an attempt died, not failed by a late report of an older
// attempt's job after a Redeliver, and listed per workspace.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { newId } from "@/core/ids/new-id";
import { verifyWebhook } from "@/packages/sdk/src";
import { createCaller } from "@/server/api/root";
import { avatars, realtimeSessions, realtimeThreads, threadMessages, webhookDeliveries } from "@/server/db/schema";
import { seedTenant } from "@/server/http/testing/test-api";
import { listJobs } from "@/server/jobs/admin";
import { webhookDeliveryJob } from "@/server/jobs/handlers/webhook-delivery";
import { jobQueue, sendJob, stopJobQueue } from "@/server/jobs/queue";
import { startWorker, type RunningWorker } from "@/server/jobs/worker";
import { TEST_DATABASES, type TestDatabase } from "@/server/testing/databases";
import { checkPublicAddress } from "../net/ip-address";
import type { AddressPolicy } from "../net/safe-fetch";
import { attemptDeliveryById, enqueueDelivery, redeliver, type DeliverySettings } from "./deliveries";
import { rotateWebhookSecret, setWebhookEndpoint } from "./endpoint";
import { notifySessionEnded } from "./notify";

vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret";
  process.env.LOG_LEVEL ??= "silent";
  // This file runs its own worker (with a policy admitting the local receiver), not the default one;
  // short leases and sweeps keep a dead worker's job re-picked within seconds.
  Object.assign(process.env, { JOBS_IN_PROCESS: "false", JOBS_LEASE_SECONDS: "2", JOBS_SWEEP_SECONDS: "1", JOBS_RETRY_DELAY_SECONDS: "0", JOBS_POLL_SECONDS: "0.5" });
});

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
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe.each(TEST_DATABASES)("session.ended webhooks on %s", (_name, open) => {
  let t: TestDatabase;
  let worker: RunningWorker;
  /** What the worker's handler attempts with (a test may narrow it). */
  let workerSettings = settings();
  const settled = (id: string, status: "succeeded" | "failed") => until(`delivery ${id} ${status}`, async () => ((await deliveryOf(t.db, id)).status === status ? deliveryOf(t.db, id) : null));
  const jobsOf = async (tenantId: string) => (await listJobs(t.db, { type: "webhook-delivery", tenantId })).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const startOurWorker = async () => (worker = await startWorker(t.db, { handlers: { "webhook-delivery": webhookDeliveryJob(() => workerSettings) }, concurrency: 2 }));

  beforeAll(async () => {
    t = await open();
    await startOurWorker();
  });
  beforeEach(() => {
    workerSettings = settings();
  });
  afterAll(async () => {
    await worker?.stop(2_000);
    if (t) await stopJobQueue(t.db);
    await t?.close();
  });

  it("delivers the session and its transcript, signed so that verifyWebhook accepts it", async () => {
    const tenant = await seedTenant(t.db);
    const endpoint = await setWebhookEndpoint(t.db, tenant.id, { url: `http://127.0.0.1:${port}/hooks/tic` });
    const sessionId = await endedSession(t.db, tenant.id);
    const row = await notifySessionEnded(t.db, sessionId, settings());
    expect(row).not.toBeNull();
    await settled(row!.id, "succeeded");
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
    // It went through the queue: one completed webhook-delivery job for this delivery.
    await until("the job completed", async () => (await jobsOf(tenant.id)).every((j) => j.state === "completed"));
    expect(await jobsOf(tenant.id)).toEqual([expect.objectContaining({ state: "completed", subject: row!.id, attempts: 1 })]);

    // Ending twice (two paths, two instances) sends nothing twice and queues no second job.
    const again = await notifySessionEnded(t.db, sessionId, settings());
    expect(again!.id).toBe(row!.id);
    await sleep(800);
    expect(hits).toHaveLength(1);
    expect(await jobsOf(tenant.id)).toHaveLength(1);
  });

  it("retries a failing receiver with doubling delays, then marks the delivery (and its job) failed; Redeliver sends it again", async () => {
    const tenant = await seedTenant(t.db);
    await setWebhookEndpoint(t.db, tenant.id, { url: `http://127.0.0.1:${port}/hooks/down` });
    answer = () => 503;
    workerSettings = settings({ retryBaseMs: 400 });
    const row = await notifySessionEnded(t.db, await endedSession(t.db, tenant.id), settings());
    // Between attempts the row is the visible log: pending, its last answer, when it is tried next.
    const waiting = await until("the first attempt recorded", async () => {
      const r = await deliveryOf(t.db, row!.id);
      return r.attempts === 1 ? r : null;
    });
    expect(waiting).toMatchObject({ status: "pending", responseStatus: 503 });
    expect(waiting.nextAttemptAt.getTime() - waiting.lastAttemptAt!.getTime()).toBe(400);
    const failed = await settled(row!.id, "failed");
    expect(failed).toMatchObject({ status: "failed", attempts: 3, responseStatus: 503 });
    expect(failed.lastError).toContain("HTTP 503: receiver is down");
    expect(hits).toHaveLength(3);
    // Same bytes every attempt, each with its attempt number; waits of >= 400 ms, then >= 800 ms (plus
    // up to one worker poll, 500 ms: a job queued for later is found by polling).
    expect(new Set(hits.map((h) => h.body)).size).toBe(1);
    expect(hits.map((h) => h.headers["tic-attempt"])).toEqual(["1", "2", "3"]);
    const gaps = [hits[1]!.at - hits[0]!.at, hits[2]!.at - hits[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(390);
    expect(gaps[1]).toBeGreaterThanOrEqual(790);
    expect(gaps[1]).toBeLessThan(800 + 2_000);
    console.log(`retry gaps: ${gaps.join(" ms, ")} ms (base 400 ms, worker poll 500 ms)`);
    // One job per attempt: two completed (each queued the next), the last failed for good with the
    // receiver's answer, which is what `tic-avatar admin jobs --state failed` lists.
    const jobs = await until("the last job failed", async () => {
      const j = await jobsOf(tenant.id);
      return j.length === 3 && j[2]!.state === "failed" ? j : null;
    });
    expect(jobs.map((j) => [j.state, j.subject])).toEqual([["completed", row!.id], ["completed", row!.id], ["failed", row!.id]]);
    expect(jobs[2]!.attempts).toBe(1); // failed for good at once, not retried by the queue
    expect(jobs[2]!.error).toContain("HTTP 503");
    expect((await listJobs(t.db, { state: "failed", tenantId: tenant.id })).map((j) => j.id)).toEqual([jobs[2]!.id]);

    // The receiver is back: the dashboard's Redeliver sends it again from the first attempt, as a new job.
    answer = () => 204;
    expect(await redeliver(t.db, tenant.id, row!.id)).toBe(true);
    expect(await redeliver(t.db, tenant.id, row!.id)).toBe(false); // not failed any more
    expect(await settled(row!.id, "succeeded")).toMatchObject({ status: "succeeded", attempts: 1, responseStatus: 204 });
    expect(hits).toHaveLength(4);
    await until("the redelivery job completed", async () => {
      const j = await jobsOf(tenant.id);
      return j.length === 4 && j[3]!.state === "completed";
    });
  });

  it("a final failure the queue reports late fails only its own attempt, not the one a Redeliver queued since", async () => {
    const tenant = await seedTenant(t.db);
    await setWebhookEndpoint(t.db, tenant.id, { url: `http://127.0.0.1:${port}/hooks/late` });
    answer = () => 503;
    const row = await enqueueDelivery(t.db, { tenantId: tenant.id, event: "session.ended", subjectId: "ses_late", body: '{"id":"evt_late"}', maxAttempts: 1 });
    await settled(row!.id, "failed");
    const [failedJob] = await until("the job failed", async () => ((await jobsOf(tenant.id))[0]?.state === "failed" ? jobsOf(tenant.id) : null));
    const old = await (await jobQueue(t.db)).getJobById("webhook-delivery", failedJob!.id, { includeArchive: true });
    expect(old?.data).toEqual({ tenantId: tenant.id, deliveryId: row!.id, attempt: 0, dueAt: row!.nextAttemptAt.toISOString() });
    // The worker is off while the row is reopened, so only the old job's failure hook can touch it.
    await worker.stop(2_000);
    try {
      expect(await redeliver(t.db, tenant.id, row!.id)).toBe(true);
      const handler = webhookDeliveryJob(() => workerSettings);
      await handler.failed(t.db, old!.data as { tenantId: string; deliveryId: string }, "the worker died");
      expect(await deliveryOf(t.db, row!.id)).toMatchObject({ status: "pending", attempts: 0 });
      // The reopened attempt's own job failing for good does fail it (the hook still does its job).
      const reopened = await deliveryOf(t.db, row!.id);
      await handler.failed(t.db, { tenantId: tenant.id, deliveryId: row!.id, attempt: 0, dueAt: reopened.nextAttemptAt.toISOString() }, "the worker died");
      expect(await deliveryOf(t.db, row!.id)).toMatchObject({ status: "failed", lastError: "the delivery's job failed: the worker died" });
      expect(await redeliver(t.db, tenant.id, row!.id)).toBe(true);
      answer = () => 204;
    } finally {
      await startOurWorker();
    }
    expect(await settled(row!.id, "succeeded")).toMatchObject({ attempts: 1, responseStatus: 204 });
    await until("the redelivery's job completed", async () => (await jobsOf(tenant.id)).some((j) => j.state === "completed"));
  });

  it("sends a delivery once however many jobs name it, and never another workspace's", async () => {
    const tenant = await seedTenant(t.db);
    await setWebhookEndpoint(t.db, tenant.id, { url: `http://127.0.0.1:${port}/hooks/by-id` });
    const row = await enqueueDelivery(t.db, { tenantId: tenant.id, event: "session.ended", subjectId: "ses_byid", body: '{"id":"evt_byid"}', maxAttempts: 3 });
    // Two more jobs for the same delivery at once (as if queued twice by two instances).
    await Promise.all([sendJob(t.db, "webhook-delivery", { tenantId: tenant.id, deliveryId: row!.id }, { id: randomUUID() }), sendJob(t.db, "webhook-delivery", { tenantId: tenant.id, deliveryId: row!.id }, { id: randomUUID() })]);
    await settled(row!.id, "succeeded");
    await until("all three jobs finished", async () => {
      const j = await jobsOf(tenant.id);
      return j.length === 3 && j.every((x) => x.state === "completed");
    });
    expect(hits.map((h) => h.body)).toEqual(['{"id":"evt_byid"}']);
    // Finished, or another workspace's id: nothing is sent again.
    expect(await attemptDeliveryById(t.db, tenant.id, row!.id, settings())).toBeNull();
    expect(await attemptDeliveryById(t.db, (await seedTenant(t.db)).id, row!.id, settings())).toBeNull();
    expect(hits).toHaveLength(1);
  });

  it("never connects to an internal address: the attempt is refused and recorded", async () => {
    const tenant = await seedTenant(t.db);
    await setWebhookEndpoint(t.db, tenant.id, { url: `http://127.0.0.1:${port}/hooks/inside` });
    workerSettings = settings({ policy: undefined });
    const row = await notifySessionEnded(t.db, await endedSession(t.db, tenant.id), settings({ maxAttempts: 1 }));
    const refused = await settled(row!.id, "failed");
    expect(hits).toHaveLength(0);
    expect(refused).toMatchObject({ status: "failed", attempts: 1, responseStatus: null });
    expect(refused.lastError).toContain("address_not_allowed");
    const [job] = await until("the job failed", async () => ((await jobsOf(tenant.id))[0]?.state === "failed" ? jobsOf(tenant.id) : null));
    expect(job!.error).toContain("address_not_allowed");
  });

  it("picks an attempt up again when the worker holding it died", async () => {
    const tenant = await seedTenant(t.db);
    await setWebhookEndpoint(t.db, tenant.id, { url: `http://127.0.0.1:${port}/hooks/after-crash` });
    // A worker that takes the job, claims the row and dies before it answers: our worker is off while
    // it takes the job, and then nothing renews the job's lease or releases the row's lock.
    await worker.stop(2_000);
    const row = await enqueueDelivery(t.db, { tenantId: tenant.id, event: "session.ended", subjectId: "ses_crash", body: '{"id":"evt_crash"}', maxAttempts: 3 });
    const [taken] = await (await jobQueue(t.db)).fetch("webhook-delivery", { batchSize: 1 });
    expect(taken?.data).toEqual({ tenantId: tenant.id, deliveryId: row!.id, attempt: 0, dueAt: row!.nextAttemptAt.toISOString() });
    await t.db.update(webhookDeliveries).set({ status: "delivering", lockedUntil: new Date(Date.now() + 1_000) }).where(eq(webhookDeliveries.id, row!.id));
    const died = Date.now();
    await startOurWorker();
    // The lease (2 s) lapses, the sweep (1 s) puts the job back, a live worker sends it.
    expect(await settled(row!.id, "succeeded")).toMatchObject({ attempts: 1, responseStatus: 200 });
    console.log(`re-picked ${Date.now() - died} ms after the holder died (lease 2 s, sweep 1 s)`);
    expect(hits.map((h) => h.body)).toEqual(['{"id":"evt_crash"}']);
    const [job] = await until("the job completed", async () => ((await jobsOf(tenant.id))[0]?.state === "completed" ? jobsOf(tenant.id) : null));
    expect(job).toMatchObject({ id: taken!.id, attempts: 2 }); // the dead attempt, then ours
  });

  it("lists deliveries to the workspace's own members only, and signs with the rotated secret", async () => {
    const a = await seedTenant(t.db);
    const b = await seedTenant(t.db);
    await setWebhookEndpoint(t.db, a.id, { url: `http://127.0.0.1:${port}/hooks/a` });
    const rotated = await rotateWebhookSecret(t.db, a.id);
    const sessionId = await endedSession(t.db, a.id);
    const row = await notifySessionEnded(t.db, sessionId, settings());
    await settled(row!.id, "succeeded");
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
