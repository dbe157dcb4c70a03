import Link from "next/link";
import { serverApi } from "@/server/api/caller";
import { billedSeconds, END_REASON_LABEL, formatDuration } from "./format";

export const dynamic = "force-dynamic";

export default async function SessionsPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const { before } = await searchParams;
  const api = await serverApi();
  const { sessions, nextBefore } = await api.sessions.list({ limit: 50, before: before && /^ses_[0-9a-z]+$/.test(before) ? before : undefined });
  return (
    <>
      <h1>Sessions</h1>
      <p className="muted">Live conversations with your avatars. Only the avatar&apos;s speech is billed; listening and thinking are free.</p>
      {sessions.length === 0 ? (
        <div className="card" data-testid="sessions-empty">No sessions yet. Press Talk on an avatar, or create one with POST /api/v1/realtime/sessions.</div>
      ) : (
        <table data-testid="sessions-table">
          <thead>
            <tr><th>Started</th><th>Avatar</th><th>Environment</th><th>Status</th><th>Duration</th><th>Billed speech</th><th>Ended because</th><th /></tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id} data-testid="session-row" data-session-id={s.id}>
                <td>{(s.startedAt ?? s.createdAt).slice(0, 19).replace("T", " ")}</td>
                <td>{s.avatarName}</td>
                <td>{s.environment}</td>
                <td><span className={`badge status-${s.status}`} data-testid="session-status">{s.status}</span></td>
                <td data-testid="session-duration">{formatDuration(s.durationMs)}</td>
                <td data-testid="session-billed">{billedSeconds(s.speechMs)}</td>
                <td data-testid="session-end-reason">{s.endReason ? (END_REASON_LABEL[s.endReason] ?? s.endReason) : "—"}</td>
                <td><Link href={`/platform/sessions/${s.id}`} data-testid="session-open">Transcript</Link></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextBefore && <p><Link href={`/platform/sessions?before=${nextBefore}`} data-testid="sessions-next">Older sessions →</Link></p>}
    </>
  );
}
