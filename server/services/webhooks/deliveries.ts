import "server-only";
import { and, desc, eq, inArray, lt, lte, or, sql } from "drizzle-orm";
import { newId } from "@/core/ids/new-id";
import { signatureHeader, SIGNATURE_HEADER } from "@/core/webhooks/signature";
import type { Db } from "../../db/client";
import { webhookDeliveries, type WEBHOOK_EVENTS } from "../../db/schema";
import { getEnv } from "../../env";
import { enqueue, jobIdFor } from "../../jobs";
import { logger } from "../../logger";
import { safePost, SafeFetchError, type AddressPolicy, type Resolver } from "../net/safe-fetch";
import { retryDelayMs } from "./backoff";
import { webhookEndpointRow } from "./endpoint";

// Deliveries: one row per event and receiver, attempted until a 2xx answer or out of attempts. Each
// attempt is a `webhook-delivery` job on the durable queue (server/jobs), queued for the row's
// next_attempt_at; the row is the delivery log the dashboard shows. An attempt claims the row with
// a lock (locked_until), so two jobs for one delivery never send at once, and one whose worker died
// mid-attempt is claimed again by the job's retry once the lock lapses.

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export type DeliverySettings = {
  maxAttempts: number;
  retryBaseMs: number;
  timeoutMs: number;
  /** Who may be connected to; public addresses only, unless a test admits its local receiver. */
  policy?: AddressPolicy;
  resolve?: Resolver;
};

/** Longest answer kept for the log. */
const ANSWER_LOG_BYTES = 1_024;

/** Delivery settings from the environment (public receivers only). */
export function deliverySettings(): DeliverySettings {
  const env = getEnv();
  return { maxAttempts: env.WEBHOOK_MAX_ATTEMPTS, retryBaseMs: env.WEBHOOK_RETRY_BASE_S * 1000, timeoutMs: env.WEBHOOK_TIMEOUT_MS };
}

/** How long an attempt holds its row: the request's timeout plus room for the writes around it. */
const lockMs = (s: DeliverySettings) => s.timeoutMs + 5_000;

/**
 * Queues the job for the row's next attempt at its next_attempt_at. The job id names the delivery,
 * its attempt count and that time, so queueing the same attempt twice (an event notified twice, a
 * retried handler) makes one job, while a redelivery (attempts back to 0, a new time) makes a new one.
 */
export async function scheduleAttempt(db: Db, row: Pick<DeliveryRow, "id" | "tenantId" | "attempts" | "nextAttemptAt">): Promise<string> {
  const id = jobIdFor("webhook-delivery", row.id, String(row.attempts), row.nextAttemptAt.toISOString());
  return enqueue(db, "webhook-delivery", { tenantId: row.tenantId, deliveryId: row.id, attempt: row.attempts, dueAt: row.nextAttemptAt.toISOString() }, { id, startAfter: row.nextAttemptAt });
}

/** One delivery of the workspace, or null. */
export async function deliveryRow(db: Db, tenantId: string, deliveryId: string): Promise<DeliveryRow | null> {
  const [row] = await db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.tenantId, tenantId))).limit(1);
  return row ?? null;
}

/**
 * Queues `body` for the workspace's receiver and its first attempt as a job; null when it has none
 * (or it is disabled). Queueing the same event for the same subject twice keeps the first (an end
 * path that runs twice sends once).
 */
export async function enqueueDelivery(db: Db, o: { tenantId: string; event: WebhookEvent; subjectId: string; body: string; maxAttempts: number; now?: Date }): Promise<DeliveryRow | null> {
  const endpoint = await webhookEndpointRow(db, o.tenantId);
  if (!endpoint || !endpoint.enabled) return null;
  const [inserted] = await db
    .insert(webhookDeliveries)
    .values({ id: newId("whd"), tenantId: o.tenantId, event: o.event, subjectId: o.subjectId, url: endpoint.url, body: o.body, maxAttempts: o.maxAttempts, nextAttemptAt: o.now ?? new Date() })
    .onConflictDoNothing()
    .returning();
  const [row] = inserted
    ? [inserted]
    : await db
        .select()
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.tenantId, o.tenantId), eq(webhookDeliveries.event, o.event), eq(webhookDeliveries.subjectId, o.subjectId)))
        .limit(1);
  // A pending row gets its attempt's job, or joins the one it has (same id).
  if (row?.status === "pending") await scheduleAttempt(db, row);
  return row ?? null;
}

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

async function send(row: DeliveryRow, secret: string, s: DeliverySettings, now: Date): Promise<Outcome> {
  const timestampS = Math.floor(now.getTime() / 1000);
  const headers = {
    "content-type": "application/json",
    [SIGNATURE_HEADER]: await signatureHeader(secret, row.body, timestampS),
    "Tic-Event": row.event,
    "Tic-Delivery": row.id,
    "Tic-Attempt": String(row.attempts + 1),
  };
  try {
    const res = await safePost(row.url, new TextEncoder().encode(row.body), headers, { maxBytes: ANSWER_LOG_BYTES, timeoutMs: s.timeoutMs, policy: s.policy, resolve: s.resolve, userAgent: "TIC-Avatar-Webhooks/1.0" });
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    return { ok: false, status: res.status, error: `HTTP ${res.status}${res.bodyText ? `: ${res.bodyText.slice(0, 200)}` : ""}` };
  } catch (error) {
    const message = error instanceof SafeFetchError ? `${error.code}: ${error.message.replace(/remoteUrl/g, "the webhook URL")}` : String((error as Error)?.message ?? error);
    return { ok: false, status: null, error: message };
  }
}

/** Makes one attempt of a claimed delivery and records it: succeeded, retried later, or failed for good. */
export async function attemptDelivery(db: Db, row: DeliveryRow, s: DeliverySettings, now = new Date()): Promise<DeliveryRow> {
  const endpoint = await webhookEndpointRow(db, row.tenantId);
  const outcome: Outcome = endpoint ? await send(row, endpoint.secret, s, now) : { ok: false, status: null, error: "the workspace removed its webhook URL" };
  const attempts = row.attempts + 1;
  const finished = new Date();
  const next = outcome.ok
    ? { status: "succeeded" as const, deliveredAt: finished }
    : attempts >= row.maxAttempts || !endpoint
      ? { status: "failed" as const }
      : { status: "pending" as const, nextAttemptAt: new Date(finished.getTime() + retryDelayMs(attempts, s.retryBaseMs)) };
  const [updated] = await db
    .update(webhookDeliveries)
    .set({ ...next, attempts, lockedUntil: null, lastAttemptAt: finished, responseStatus: outcome.status, lastError: outcome.ok ? null : outcome.error.slice(0, 500) })
    .where(and(eq(webhookDeliveries.id, row.id), eq(webhookDeliveries.tenantId, row.tenantId)))
    .returning();
  if (!outcome.ok) logger.warn({ deliveryId: row.id, tenantId: row.tenantId, attempts, status: outcome.status, error: outcome.error, final: next.status === "failed" }, "webhook delivery failed");
  return updated!;
}

/**
 * Claims one delivery by id (when it is pending and due, or its lock lapsed) and attempts it: what a
 * `webhook-delivery` job runs. Null when another attempt holds it, it is not due yet, or it is
 * finished. "Due" is read on the database's clock, the one the queue starts jobs by.
 */
export async function attemptDeliveryById(db: Db, tenantId: string, deliveryId: string, s: DeliverySettings, now = new Date()): Promise<DeliveryRow | null> {
  const open = or(
    and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, sql`now() + interval '1 second'`)),
    and(eq(webhookDeliveries.status, "delivering"), lt(webhookDeliveries.lockedUntil, now)),
  );
  const [row] = await db
    .update(webhookDeliveries)
    .set({ status: "delivering", lockedUntil: new Date(now.getTime() + lockMs(s)) })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.tenantId, tenantId), open))
    .returning();
  return row ? attemptDelivery(db, row, s, now) : null;
}

/**
 * Marks a delivery that is still open failed with `reason`: its job failed for good without a
 * recorded last attempt (the worker died on it every time). A finished delivery is left as it is,
 * and so is a later attempt than `attempt` (the job's own, when it names one): the queue reports a
 * job's final failure some time after it, and by then a Redeliver may have reopened the row
 * (attempts 0, a new next_attempt_at), which must not be failed in its place. Times are compared
 * to the millisecond, the precision the job carries.
 */
export async function markDeliveryFailed(db: Db, tenantId: string, deliveryId: string, reason: string, attempt?: { attempt?: number; dueAt?: string }): Promise<void> {
  const sameAttempt =
    attempt?.attempt !== undefined && attempt.dueAt !== undefined
      ? and(eq(webhookDeliveries.attempts, attempt.attempt), sql`date_trunc('milliseconds', ${webhookDeliveries.nextAttemptAt}) = ${attempt.dueAt}::timestamptz`)
      : undefined;
  await db
    .update(webhookDeliveries)
    .set({ status: "failed", lockedUntil: null, lastError: reason.slice(0, 500) })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.tenantId, tenantId), inArray(webhookDeliveries.status, ["pending", "delivering"]), sameAttempt));
}

export type DeliveryView = {
  id: string;
  event: string;
  subjectId: string;
  url: string;
  status: DeliveryRow["status"];
  attempts: number;
  maxAttempts: number;
  responseStatus: number | null;
  lastError: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
};

/** The workspace's latest deliveries, newest first. */
export async function listDeliveries(db: Db, tenantId: string, limit = 50): Promise<DeliveryView[]> {
  const rows = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.tenantId, tenantId)).orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id)).limit(limit);
  return rows.map((r) => ({
    id: r.id,
    event: r.event,
    subjectId: r.subjectId,
    url: r.url,
    status: r.status,
    attempts: r.attempts,
    maxAttempts: r.maxAttempts,
    responseStatus: r.responseStatus,
    lastError: r.lastError,
    createdAt: r.createdAt.toISOString(),
    lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null,
    nextAttemptAt: r.status === "pending" ? r.nextAttemptAt.toISOString() : null,
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
  }));
}

/** Sends a failed delivery again from its first attempt, as a new job (the dashboard's Redeliver). */
export async function redeliver(db: Db, tenantId: string, deliveryId: string): Promise<boolean> {
  const [row] = await db
    .update(webhookDeliveries)
    .set({ status: "pending", attempts: 0, nextAttemptAt: sql`now()`, lockedUntil: null })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.status, "failed")))
    .returning();
  if (!row) return false;
  await scheduleAttempt(db, row);
  return true;
}
