import Link from "next/link";
import { serverApi } from "@/server/api/caller";
import { billedSeconds, END_REASON_LABEL, formatDuration } from "../format";

export const dynamic = "force-dynamic";

const at = (ms: number | null) => (ms === null ? "" : `${(ms / 1000).toFixed(1)} s`);

export default async function SessionPage({ params }: { params: Promise<{ sessionId: string }> }) {
  const { sessionId } = await params;
  const api = await serverApi();
  const s = await api.sessions.get({ id: sessionId });
  return (
    <>
      <p><Link href="/platform/sessions">← Sessions</Link></p>
      <h1 data-testid="session-title">Session with {s.avatarName}</h1>
      <p>
        <code>{s.id}</code> <span className={`badge status-${s.status}`}>{s.status}</span> <span className="muted">{s.environment} · thread <code>{s.threadId}</code></span>
      </p>
      <dl>
        <dt>Duration</dt><dd data-testid="session-duration">{formatDuration(s.durationMs)}</dd>
        <dt>Billed speech</dt><dd data-testid="session-billed">{billedSeconds(s.speechMs)} ({s.billedMicros.toLocaleString("en")} credit micros)</dd>
        <dt>Ended because</dt><dd data-testid="session-end-reason">{s.endReason ? (END_REASON_LABEL[s.endReason] ?? s.endReason) : "still running"}</dd>
      </dl>
      <div className="card">
        <h2>Transcript</h2>
        {s.transcript.length === 0 ? (
          <p className="muted" data-testid="transcript-empty">Nothing was said.</p>
        ) : (
          <ol data-testid="transcript" style={{ listStyle: "none", padding: 0 }}>
            {s.transcript.map((m) => (
              <li key={m.id} data-testid="transcript-item" data-role={m.role} style={{ marginBottom: "0.5rem" }}>
                <span className="muted">{at(m.startMs)}</span> <strong>{m.role === "user" ? "User" : m.role === "assistant" ? "Avatar" : "Tool"}:</strong> {m.text}
                {m.interrupted && <span className="muted" data-testid="transcript-interrupted"> — interrupted</span>}
              </li>
            ))}
          </ol>
        )}
      </div>
    </>
  );
}
