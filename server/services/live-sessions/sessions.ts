import "server-only";
import { and, asc, desc, eq, inArray, isNull, lt, ne, sql } from "drizzle-orm";
import { newId } from "@/core/ids/new-id";
import type { Db } from "@/server/db/client";
import { avatars, realtimeSessions, realtimeThreads, tenants, threadMessages } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import type { Environment } from "../credits/ledger";
import { afterListCursor, encodeListCursor } from "../list-cursor";
import { sessionLimitOf } from "../plan-limits";
import { unsupportedLanguage } from "../speech/errors";
import type { SttProvider } from "../speech/types";
import type { CreateSessionInput, ListSessionsQuery, StoredSessionConfig } from "./schemas";
import { newClientSecret } from "./secrets";
import { resolveSessionVoice } from "./voices";
import { notifySessionEnded } from "../webhooks";

// Live sessions in the database: the state any instance can read or end, whichever holds the socket.
// A session is `created` (secret issued), `connected` (its socket is open somewhere), then `ended`.

export type SessionRow = typeof realtimeSessions.$inferSelect;
export type Caller = { tenantId: string; plan: string; environment: Environment; apiKeyId: string | null };
/** `stt`: the configured recogniser, asked only whether it does a voice session's language (loaded lazily: the speech module brings the VAD runtime). */
export type SessionSettings = { limits: Record<string, number>; secretTtlS: number; ttsProvider: "espeak" | "openai"; stt: () => Promise<SttProvider> };

/** A holder whose heartbeat is older than this has died; its sessions end with `error`. */
export const HEARTBEAT_STALE_MS = 60_000;
/** When the cap is full: a client can show "busy, retrying" and try again after this. */
export const CAP_RETRY_AFTER_S = 5;

const notFound = () => new AppError("not_found", "Session not found in this workspace; list sessions with GET /api/v1/realtime/sessions.");

/** Ends sessions nobody can still connect to or hold: secrets expired unused, holders that stopped beating. */
export async function sweepDeadSessions(db: Db, tenantId: string, now = new Date()): Promise<void> {
  await db
    .update(realtimeSessions)
    .set({ status: "ended", endReason: "secret_expired", endedAt: sql`${realtimeSessions.secretExpiresAt}` })
    .where(and(eq(realtimeSessions.tenantId, tenantId), eq(realtimeSessions.status, "created"), lt(realtimeSessions.secretExpiresAt, now)));
  await db
    .update(realtimeSessions)
    .set({ status: "ended", endReason: "error", endedAt: sql`${realtimeSessions.heartbeatAt}` })
    .where(
      and(
        eq(realtimeSessions.tenantId, tenantId),
        eq(realtimeSessions.status, "connected"),
        lt(realtimeSessions.heartbeatAt, new Date(now.getTime() - HEARTBEAT_STALE_MS)),
      ),
    );
}

async function resolveThread(db: Db, caller: Caller, input: CreateSessionInput): Promise<{ id: string; created: boolean }> {
  if (!input.threadId) return { id: newId("thr"), created: true };
  const [thread] = await db
    .select()
    .from(realtimeThreads)
    .where(and(eq(realtimeThreads.id, input.threadId), eq(realtimeThreads.tenantId, caller.tenantId), eq(realtimeThreads.environment, caller.environment)))
    .limit(1);
  if (!thread) throw new AppError("not_found", "threadId: no thread with this id in this workspace (and key environment); omit it to start a new thread.", { field: "threadId" });
  if (thread.avatarId !== input.avatar_id) {
    throw new AppError("invalid_input", `threadId: this thread belongs to avatar ${thread.avatarId}; continue it with that avatar or omit threadId.`, { field: "threadId" });
  }
  return { id: thread.id, created: false };
}

/**
 * Creates a session and its client secret; 429 when the workspace's concurrent sessions are all in use.
 * A WebRTC session's offer is answered by webrtc/start.ts, which calls this once the offer parsed.
 */
export async function createSession(db: Db, caller: Caller, input: CreateSessionInput, settings: SessionSettings, now = new Date()) {
  // Refused here, with the coded 422, rather than when the socket connects (the loop checks again then).
  if (input.input === "voice") {
    const stt = await settings.stt();
    if (!stt.supports(input.language)) throw unsupportedLanguage(input.language, stt.id, stt.languages);
  }
  if (input.video_format === "fmp4" && (input.render !== "server" || input.outputModality !== "audio")) {
    throw new AppError("invalid_input", 'video_format: "fmp4" carries server-rendered video: use it with render "server" and outputModality "audio".', { field: "video_format" });
  }
  const voice = resolveSessionVoice(input.voice, settings.ttsProvider);
  const [avatar] = await db
    .select({ id: avatars.id, status: avatars.status })
    .from(avatars)
    .where(and(eq(avatars.id, input.avatar_id), eq(avatars.tenantId, caller.tenantId), isNull(avatars.deletedAt)))
    .limit(1);
  if (!avatar) throw new AppError("not_found", "avatar_id: no avatar with this id in this workspace; list avatars with GET /api/v1/avatars.", { field: "avatar_id" });
  if (avatar.status !== "ready") {
    throw new AppError("conflict", `avatar_id: the avatar is ${avatar.status}, not ready; call POST /api/v1/realtime/prepare first.`, { field: "avatar_id" });
  }
  const thread = await resolveThread(db, caller, input);
  const config: StoredSessionConfig = {
    outputModality: input.outputModality,
    prompt: input.prompt ?? null,
    transport: input.transport?.type ?? "websocket",
    voice,
    requestedVoice: input.voice ?? null,
    input: input.input,
    turn_detection: input.turn_detection,
    language: input.language,
    render: input.render,
    video_format: input.video_format,
    max_seconds: input.max_seconds,
    idle_timeout_s: input.idle_timeout_s,
    tools: input.tools,
  };
  const secret = newClientSecret();
  const cap = sessionLimitOf(settings.limits, caller.plan);
  await sweepDeadSessions(db, caller.tenantId, now);
  const row = await db.transaction(async (tx) => {
    // Creates of one workspace queue on its tenant row, so two cannot both take the last place.
    await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, caller.tenantId)).for("update");
    const [{ live } = { live: 0 }] = await tx
      .select({ live: sql<number>`count(*)::int` })
      .from(realtimeSessions)
      .where(and(eq(realtimeSessions.tenantId, caller.tenantId), ne(realtimeSessions.status, "ended")));
    if (live >= cap) {
      throw new AppError("session_limit_reached", `This workspace is already holding its maximum number of live sessions (${cap}). Try again shortly.`, {
        kind: "rate_limited",
        retryAfterSeconds: CAP_RETRY_AFTER_S,
      });
    }
    if (thread.created) {
      await tx.insert(realtimeThreads).values({ id: thread.id, tenantId: caller.tenantId, environment: caller.environment, avatarId: avatar.id });
    } else {
      await tx.update(realtimeThreads).set({ updatedAt: now }).where(and(eq(realtimeThreads.id, thread.id), eq(realtimeThreads.tenantId, caller.tenantId)));
    }
    const [inserted] = await tx
      .insert(realtimeSessions)
      .values({
        id: newId("ses"),
        tenantId: caller.tenantId,
        environment: caller.environment,
        apiKeyId: caller.apiKeyId,
        avatarId: avatar.id,
        threadId: thread.id,
        config: config as unknown as Record<string, unknown>,
        metadata: input.metadata,
        clientSessionId: input.sessionId ?? null,
        secretHash: secret.hash,
        secretExpiresAt: new Date(now.getTime() + settings.secretTtlS * 1000),
        createdAt: now,
      })
      .returning();
    return inserted!;
  });
  return { row, secret: secret.value };
}

/** One session of the caller's workspace and environment; another's id is not_found. */
export async function getSessionRow(db: Db, caller: Pick<Caller, "tenantId" | "environment">, sessionId: string): Promise<SessionRow> {
  await sweepDeadSessions(db, caller.tenantId);
  const [row] = await db
    .select()
    .from(realtimeSessions)
    .where(and(eq(realtimeSessions.id, sessionId), eq(realtimeSessions.tenantId, caller.tenantId), eq(realtimeSessions.environment, caller.environment)))
    .limit(1);
  if (!row) throw notFound();
  return row;
}

/** The session's transcript: its user and avatar turns in order. */
export function sessionTranscript(db: Db, tenantId: string, sessionId: string) {
  return db
    .select()
    .from(threadMessages)
    .where(and(eq(threadMessages.tenantId, tenantId), eq(threadMessages.sessionId, sessionId)))
    .orderBy(asc(threadMessages.id));
}

/** A page of the caller's sessions, newest first; `next_cursor` continues after the last one. */
export async function listSessions(db: Db, caller: Pick<Caller, "tenantId" | "environment">, q: ListSessionsQuery) {
  await sweepDeadSessions(db, caller.tenantId);
  const rows = await db
    .select()
    .from(realtimeSessions)
    .where(
      and(
        eq(realtimeSessions.tenantId, caller.tenantId),
        eq(realtimeSessions.environment, caller.environment),
        q.status ? eq(realtimeSessions.status, q.status) : undefined,
        q.avatar_id ? eq(realtimeSessions.avatarId, q.avatar_id) : undefined,
        afterListCursor(q.cursor, realtimeSessions.createdAt, realtimeSessions.id),
      ),
    )
    .orderBy(desc(realtimeSessions.createdAt), desc(realtimeSessions.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { rows: page, nextCursor: rows.length > q.limit ? encodeListCursor(page[page.length - 1]!) : null };
}

/**
 * Ends a session over REST: the row is marked at once (`ended_by_api`), and the instance holding the
 * socket notices within a second (server/services/live-sessions/socket/registry.ts). Ending an ended
 * session answers it as it is.
 */
export async function endSession(db: Db, caller: Pick<Caller, "tenantId" | "environment">, sessionId: string): Promise<SessionRow> {
  const scope = and(eq(realtimeSessions.id, sessionId), eq(realtimeSessions.tenantId, caller.tenantId), eq(realtimeSessions.environment, caller.environment));
  const [ended] = await db
    .update(realtimeSessions)
    .set({ status: "ended", endReason: "ended_by_api", endedAt: sql`now()` })
    .where(and(scope, ne(realtimeSessions.status, "ended")))
    .returning();
  // A session that never connected has no holder to finish it (recordEnd): its webhook goes from here.
  if (ended && !ended.connectedAt) await notifySessionEnded(db, sessionId);
  return ended ?? getSessionRow(db, caller, sessionId);
}

/** Sessions among `ids` that were ended elsewhere (REST end, a sweep), with why. */
export async function endedAmong(db: Db, ids: string[]): Promise<{ id: string; endReason: SessionRow["endReason"] }[]> {
  if (!ids.length) return [];
  return db
    .select({ id: realtimeSessions.id, endReason: realtimeSessions.endReason })
    .from(realtimeSessions)
    .where(and(inArray(realtimeSessions.id, ids), eq(realtimeSessions.status, "ended")));
}

/** Stamps the heartbeat of the sessions this instance holds. */
export async function beat(db: Db, ids: string[], now = new Date()): Promise<void> {
  if (!ids.length) return;
  await db.update(realtimeSessions).set({ heartbeatAt: now }).where(and(inArray(realtimeSessions.id, ids), eq(realtimeSessions.status, "connected")));
}
