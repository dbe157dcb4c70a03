import "server-only";
import { and, desc, eq, inArray, lt, lte, or, sql } from "drizzle-orm";
import { newId } from "@/core/ids/new-id";
import { signatureHeader, SIGNATURE_HEADER } from "@/core/webhooks/signature";
import type { Db } from "../../db/client";
import { webhookDeliveries, type WEBHOOK_EVENTS } from "../../db/schema";
import { logger } from "../../logger";
import { safePost, SafeFetchError, type AddressPolicy, type Resolver } from "../net/safe-fetch";
import { retryDelayMs } from "./backoff";
import { webhookEndpointRow } from "./endpoint";

// Deliveries: one row per event and receiver, attempted until a 2xx answer or out of attempts.
// Attempts are claimed with a lease (locked_until), so several processes may drain at once and a
// process that dies mid-attempt leaves a row the next drain picks again.

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

/**
 * Queues `body` for the workspace's receiver; null when it has none (or it is disabled). Queueing the
 * same event for the same subject twice keeps the first (an end path that runs twice sends once).
 */
export async function enqueueDelivery(db: Db, o: { tenantId: string; event: WebhookEvent; subjectId: string; body: string; maxAttempts: number; now?: Date }): Promise<DeliveryRow | null> {
  const endpoint = await webhookEndpointRow(db, o.tenantId);
  if (!endpoint || !endpoint.enabled) return null;
  const [row] = await db
    .insert(webhookDeliveries)
    .values({ id: newId("whd"), tenantId: o.tenantId, event: o.event, subjectId: o.subjectId, url: endpoint.url, body: o.body, maxAttempts: o.maxAttempts, nextAttemptAt: o.now ?? new Date() })
    .onConflictDoNothing()
    .returning();
  if (row) return row;
  const [existing] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.tenantId, o.tenantId), eq(webhookDeliveries.event, o.event), eq(webhookDeliveries.subjectId, o.subjectId)))
    .limit(1);
  return existing ?? null;
}

/** Claims up to `limit` due deliveries (pending and due, or delivering with a lapsed lease). */
export async function claimDue(db: Db, limit: number, leaseMs: number, now = new Date()): Promise<DeliveryRow[]> {
  const due = or(
    and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now)),
    and(eq(webhookDeliveries.status, "delivering"), lt(webhookDeliveries.lockedUntil, now)),
  );
  const ids = db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(due).orderBy(webhookDeliveries.nextAttemptAt).limit(limit).for("update", { skipLocked: true });
  return db
    .update(webhookDeliveries)
    .set({ status: "delivering", lockedUntil: new Date(now.getTime() + leaseMs) })
    // `due` again: a row another drainer claimed between the select and this update is left to it.
    .where(and(inArray(webhookDeliveries.id, ids), due))
    .returning();
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
 * Claims one delivery by id (when it is pending, or its lease lapsed) and attempts it: the handler a
 * jobs-queue worker calls for a `webhook-delivery` job carrying the id. Null when another attempt
 * holds it or it is already finished.
 */
export async function attemptDeliveryById(db: Db, tenantId: string, deliveryId: string, s: DeliverySettings, now = new Date()): Promise<DeliveryRow | null> {
  const open = or(eq(webhookDeliveries.status, "pending"), and(eq(webhookDeliveries.status, "delivering"), lt(webhookDeliveries.lockedUntil, now)));
  const [row] = await db
    .update(webhookDeliveries)
    .set({ status: "delivering", lockedUntil: new Date(now.getTime() + s.timeoutMs * 2 + 5_000) })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.tenantId, tenantId), open))
    .returning();
  return row ? attemptDelivery(db, row, s, now) : null;
}

/** One drain pass: claims due deliveries and attempts each; returns how many were attempted. */
export async function drainDueDeliveries(db: Db, s: DeliverySettings, limit = 20): Promise<number> {
  const rows = await claimDue(db, limit, s.timeoutMs * 2 + 5_000);
  // Receivers are independent: one slow receiver must not hold up the others' deliveries.
  await Promise.all(rows.map((r) => attemptDelivery(db, r, s)));
  return rows.length;
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

/** Sends a failed delivery again from its first attempt (the dashboard's Retry). */
export async function redeliver(db: Db, tenantId: string, deliveryId: string): Promise<boolean> {
  const rows = await db
    .update(webhookDeliveries)
    .set({ status: "pending", attempts: 0, nextAttemptAt: sql`now()`, lockedUntil: null })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.status, "failed")))
    .returning({ id: webhookDeliveries.id });
  return rows.length > 0;
}
