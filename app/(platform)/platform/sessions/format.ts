/** "1 min 05 s" for durations on the sessions pages. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

/** Billed speech in seconds with one decimal ("4.2 s"). */
export const billedSeconds = (speechMs: number) => `${(speechMs / 1000).toFixed(1)} s`;

/** Readable end reasons (docs/realtime-sessions.md). */
export const END_REASON_LABEL: Record<string, string> = {
  client_closed: "closed by the client",
  disconnected: "client disconnected",
  idle_timeout: "idle timeout",
  max_duration: "maximum duration",
  ended_by_api: "ended over the API",
  secret_expired: "never connected",
  server_shutdown: "server restart",
  error: "error",
};
