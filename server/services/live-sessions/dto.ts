import "server-only";
import type { threadMessages } from "@/server/db/schema";
import type { StoredSessionConfig } from "./schemas";
import type { SessionRow } from "./sessions";

// The JSON a session answers with (docs/realtime-sessions.md, the OpenAPI RealtimeSession schemas).
// Seed 004's fields keep its camelCase names (outputModality, threadId, sessionId); ours are snake_case.

type MessageRow = typeof threadMessages.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The socket URL of a session: ws:// or wss:// on the public base URL. */
export function socketUrl(baseUrl: string, sessionId: string): string {
  const url = new URL(`/api/v1/realtime/sessions/${sessionId}/socket`, baseUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

/** A session as listed. */
export function toSessionSummary(row: SessionRow, now = new Date()) {
  const config = row.config as unknown as StoredSessionConfig;
  const end = row.endedAt ?? (row.status === "connected" ? now : null);
  return {
    id: row.id,
    session_id: row.id,
    object: "realtime.session" as const,
    status: row.status,
    avatar_id: row.avatarId,
    threadId: row.threadId,
    sessionId: row.clientSessionId,
    outputModality: config.outputModality,
    created_at: row.createdAt.toISOString(),
    started_at: iso(row.connectedAt),
    ended_at: iso(row.endedAt),
    duration_ms: row.connectedAt && end ? Math.max(0, end.getTime() - row.connectedAt.getTime()) : 0,
    speech_ms: row.speechMs,
    billed_speech_seconds: row.speechMs / 1000,
    billed_credit_micros: row.billedMicros,
    end_reason: row.endReason,
    metadata: row.metadata,
  };
}

/** The settings a session was created with. */
function settingsOf(row: SessionRow) {
  const c = row.config as unknown as StoredSessionConfig;
  return {
    prompt: c.prompt,
    voice: c.voice,
    input: c.input,
    turn_detection: c.turn_detection,
    language: c.language,
    render: c.render,
    video_format: c.video_format ?? "mux",
    max_seconds: c.max_seconds,
    idle_timeout_s: c.idle_timeout_s,
    tools: c.tools,
    transport: { type: c.transport },
  };
}

/**
 * The 201 of a create: the summary, its settings, the socket URL and the client secret (shown once).
 * A WebRTC session's `transport` carries the server's SDP answer; it is already connecting, so its
 * secret is spent (the socket `url` refuses it as reused).
 */
export function toCreatedSession(row: SessionRow, secret: string, baseUrl: string, sdpAnswer?: string) {
  const c = row.config as unknown as StoredSessionConfig;
  return {
    ...toSessionSummary(row),
    ...settingsOf(row),
    ...(sdpAnswer ? { transport: { type: "webrtc" as const, sdp: sdpAnswer } } : {}),
    url: socketUrl(baseUrl, row.id),
    client_secret: { value: secret, expires_at: row.secretExpiresAt.toISOString() },
    // The latest the session can run: connected at the secret's expiry, then max_seconds.
    expires_at: new Date(row.secretExpiresAt.getTime() + c.max_seconds * 1000).toISOString(),
  };
}

/** One message of a transcript; times are milliseconds from the session's start. */
function toTranscriptItem(m: MessageRow) {
  return { role: m.role, text: m.text, interrupted: m.interrupted, start_ms: m.startMs, end_ms: m.endMs, tool: m.tool, created_at: m.createdAt.toISOString() };
}

/** A session with its settings and transcript. */
export function toSessionDetail(row: SessionRow, messages: MessageRow[]) {
  return { ...toSessionSummary(row), ...settingsOf(row), transcript: messages.map(toTranscriptItem) };
}
