import "server-only";
import { and, asc, desc, eq, lt, or } from "drizzle-orm";
import type { Db } from "../../db/client";
import { avatars, realtimeSessions, threadMessages } from "../../db/schema";
import { AppError } from "../../errors";

// The dashboard's view of live sessions: every environment of the workspace, newest first, with
// what a person reviewing them looks for (how long, what was billed, why it ended, what was said).

export type SessionListItem = {
  id: string;
  environment: "test" | "live";
  status: "created" | "connected" | "ended";
  avatarId: string;
  avatarName: string;
  threadId: string;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number;
  speechMs: number;
  billedMicros: number;
  endReason: string | null;
};

export type TranscriptItem = { id: number; role: "user" | "assistant" | "tool"; text: string; interrupted: boolean; startMs: number | null; endMs: number | null };

type Row = { s: typeof realtimeSessions.$inferSelect; avatarName: string };

function toItem({ s, avatarName }: Row, now: Date): SessionListItem {
  const end = s.endedAt ?? (s.status === "connected" ? now : null);
  return {
    id: s.id,
    environment: s.environment,
    status: s.status,
    avatarId: s.avatarId,
    avatarName,
    threadId: s.threadId,
    createdAt: s.createdAt.toISOString(),
    startedAt: s.connectedAt?.toISOString() ?? null,
    endedAt: s.endedAt?.toISOString() ?? null,
    durationMs: s.connectedAt && end ? Math.max(0, end.getTime() - s.connectedAt.getTime()) : 0,
    speechMs: s.speechMs,
    billedMicros: s.billedMicros,
    endReason: s.endReason,
  };
}

/** A page of the workspace's sessions, newest first; pass `before` (the last id) for the next. */
export async function listWorkspaceSessions(db: Db, tenantId: string, o: { limit: number; before?: string; avatarId?: string }, now = new Date()) {
  let after: { createdAt: Date; id: string } | undefined;
  if (o.before) {
    const [b] = await db.select({ createdAt: realtimeSessions.createdAt, id: realtimeSessions.id }).from(realtimeSessions).where(and(eq(realtimeSessions.id, o.before), eq(realtimeSessions.tenantId, tenantId))).limit(1);
    if (!b) throw new AppError("not_found", "before: no session with this id in this workspace.", { field: "before" });
    after = b;
  }
  const rows = await db
    .select({ s: realtimeSessions, avatarName: avatars.displayName })
    .from(realtimeSessions)
    .innerJoin(avatars, and(eq(avatars.id, realtimeSessions.avatarId), eq(avatars.tenantId, tenantId)))
    .where(
      and(
        eq(realtimeSessions.tenantId, tenantId),
        o.avatarId ? eq(realtimeSessions.avatarId, o.avatarId) : undefined,
        after ? or(lt(realtimeSessions.createdAt, after.createdAt), and(eq(realtimeSessions.createdAt, after.createdAt), lt(realtimeSessions.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(realtimeSessions.createdAt), desc(realtimeSessions.id))
    .limit(o.limit + 1);
  const page = rows.slice(0, o.limit).map((r) => toItem(r, now));
  return { sessions: page, nextBefore: rows.length > o.limit ? page[page.length - 1]!.id : null };
}

/** One session of the workspace with its transcript; another workspace's id is not_found. */
export async function workspaceSession(db: Db, tenantId: string, sessionId: string, now = new Date()): Promise<SessionListItem & { transcript: TranscriptItem[] }> {
  const [row] = await db
    .select({ s: realtimeSessions, avatarName: avatars.displayName })
    .from(realtimeSessions)
    .innerJoin(avatars, and(eq(avatars.id, realtimeSessions.avatarId), eq(avatars.tenantId, tenantId)))
    .where(and(eq(realtimeSessions.id, sessionId), eq(realtimeSessions.tenantId, tenantId)))
    .limit(1);
  if (!row) throw new AppError("not_found", "Session not found in this workspace.");
  const messages = await db
    .select()
    .from(threadMessages)
    .where(and(eq(threadMessages.tenantId, tenantId), eq(threadMessages.sessionId, sessionId)))
    .orderBy(asc(threadMessages.id));
  return {
    ...toItem(row, now),
    transcript: messages.map((m) => ({ id: m.id, role: m.role, text: m.text, interrupted: m.interrupted, startMs: m.startMs, endMs: m.endMs })),
  };
}
