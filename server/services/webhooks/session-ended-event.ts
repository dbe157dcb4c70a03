import "server-only";
import { asc, eq, and } from "drizzle-orm";
import { newId } from "@/core/ids/new-id";
import type { Db } from "../../db/client";
import { realtimeSessions, threadMessages } from "../../db/schema";

// The `session.ended` webhook's body (docs/webhooks.md): the session as GET
// /api/v1/realtime/sessions/{id} answers it (snake_case, times relative to the session start),
// with its transcript.

type SessionRow = typeof realtimeSessions.$inferSelect;
type MessageRow = typeof threadMessages.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function sessionData(s: SessionRow) {
  return {
    id: s.id,
    object: "realtime.session" as const,
    status: s.status,
    environment: s.environment,
    avatar_id: s.avatarId,
    threadId: s.threadId,
    created_at: s.createdAt.toISOString(),
    started_at: iso(s.connectedAt),
    ended_at: iso(s.endedAt),
    duration_ms: s.connectedAt && s.endedAt ? Math.max(0, s.endedAt.getTime() - s.connectedAt.getTime()) : 0,
    speech_ms: s.speechMs,
    billed_speech_seconds: s.speechMs / 1000,
    billed_credit_micros: s.billedMicros,
    end_reason: s.endReason,
    metadata: s.metadata,
  };
}

const transcriptItem = (m: MessageRow) => ({ role: m.role, text: m.text, interrupted: m.interrupted, start_ms: m.startMs, end_ms: m.endMs, tool: m.tool });

/** The session row and its transcript, or null when no such session exists. */
export async function loadEndedSession(db: Db, sessionId: string): Promise<{ session: SessionRow; messages: MessageRow[] } | null> {
  const [session] = await db.select().from(realtimeSessions).where(eq(realtimeSessions.id, sessionId)).limit(1);
  if (!session) return null;
  const messages = await db
    .select()
    .from(threadMessages)
    .where(and(eq(threadMessages.tenantId, session.tenantId), eq(threadMessages.sessionId, session.id)))
    .orderBy(asc(threadMessages.id));
  return { session, messages };
}

/** The event body, serialised once: every attempt sends (and signs) these exact bytes. */
export function sessionEndedBody(session: SessionRow, messages: MessageRow[], now = new Date()): string {
  return JSON.stringify({
    id: newId("evt"),
    type: "session.ended",
    created: Math.floor((session.endedAt ?? now).getTime() / 1000),
    data: { session: sessionData(session), transcript: messages.map(transcriptItem) },
  });
}
