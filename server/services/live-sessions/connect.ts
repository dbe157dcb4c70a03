import "server-only";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { realtimeSessions, SESSION_END_REASONS } from "@/server/db/schema";
import type { SessionRow } from "./sessions";
import { hashClientSecret, looksLikeClientSecret } from "./secrets";
import { notifySessionEnded } from "../webhooks";

// The socket's side of the session row: claiming the client secret (once), and writing the end.

export type Claim =
  | { ok: true; row: SessionRow }
  | { ok: false; why: "unauthorized" | "secret_reused" | "secret_expired" | "session_ended"; message: string };

export type EndReason = (typeof SESSION_END_REASONS)[number];

/**
 * Spends a client secret on its session: one atomic UPDATE, so of two sockets racing with the same
 * secret exactly one wins. The loser learns why (reused, expired, ended, or not a secret of this session).
 */
export async function claimSecret(db: Db, sessionId: string, secret: string, now = new Date()): Promise<Claim> {
  if (!looksLikeClientSecret(secret)) return { ok: false, why: "unauthorized", message: "Connect with the session's client_secret (as ?token= or the Sec-WebSocket-Protocol), never an API key." };
  const hash = hashClientSecret(secret);
  const mine = and(eq(realtimeSessions.id, sessionId), eq(realtimeSessions.secretHash, hash));
  const [row] = await db
    .update(realtimeSessions)
    .set({ secretUsedAt: now, status: "connected", connectedAt: now, heartbeatAt: now })
    .where(and(mine, isNull(realtimeSessions.secretUsedAt), eq(realtimeSessions.status, "created"), gt(realtimeSessions.secretExpiresAt, now)))
    .returning();
  if (row) return { ok: true, row };
  const [seen] = await db.select().from(realtimeSessions).where(mine).limit(1);
  if (!seen) return { ok: false, why: "unauthorized", message: "This client secret does not belong to this session; create a session with POST /api/v1/realtime/sessions and connect to its url." };
  if (seen.secretUsedAt) return { ok: false, why: "secret_reused", message: "This client secret was already used: each one opens one connection. Create a new session for a new connection." };
  if (seen.status === "ended") return { ok: false, why: "session_ended", message: `This session has ended (${seen.endReason ?? "ended"}); create a new one.` };
  await db
    .update(realtimeSessions)
    .set({ status: "ended", endReason: "secret_expired", endedAt: sql`${realtimeSessions.secretExpiresAt}` })
    .where(and(eq(realtimeSessions.id, sessionId), eq(realtimeSessions.status, "created")));
  return { ok: false, why: "secret_expired", message: "This client secret expired before it was used; create a new session and connect within its expires_at." };
}

/**
 * Takes a session's one connection for its own workspace's API key (seed 002's streaming.start),
 * as claimSecret does for the client secret: the secret is spent, so no socket can open beside it.
 */
export async function claimForCaller(db: Db, tenantId: string, sessionId: string, now = new Date()): Promise<Claim> {
  const [row] = await db
    .update(realtimeSessions)
    .set({ secretUsedAt: now, status: "connected", connectedAt: now, heartbeatAt: now })
    .where(and(eq(realtimeSessions.id, sessionId), eq(realtimeSessions.tenantId, tenantId), isNull(realtimeSessions.secretUsedAt), eq(realtimeSessions.status, "created"), gt(realtimeSessions.secretExpiresAt, now)))
    .returning();
  if (row) return { ok: true, row };
  return { ok: false, why: "session_ended", message: "it already connected, ended, or its client secret expired; create a new session." };
}

/**
 * Writes a session's end: status, time and reason unless it had already ended (a REST end keeps its
 * `ended_by_api`), and in every case the billed figures of its conversation; then queues the
 * workspace's `session.ended` webhook, whose body holds those figures and the transcript.
 */
export async function recordEnd(db: Db, sessionId: string, reason: EndReason, usage: { speechMs: number; creditMicros: number }, now = new Date()): Promise<void> {
  const figures = { speechMs: Math.max(0, Math.round(usage.speechMs)), billedMicros: Math.max(0, Math.round(usage.creditMicros)) };
  const [ended] = await db
    .update(realtimeSessions)
    .set({ status: "ended", endReason: reason, endedAt: now, ...figures })
    .where(and(eq(realtimeSessions.id, sessionId), eq(realtimeSessions.status, "connected")))
    .returning({ id: realtimeSessions.id });
  if (!ended) await db.update(realtimeSessions).set(figures).where(eq(realtimeSessions.id, sessionId));
  await notifySessionEnded(db, sessionId);
}
