"use client";
import { useQuery } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "../../../_trpc/client";

const LABELS: Record<string, string> = { "prepare-avatar": "Avatar preparation", "lipsync-render": "Lipsync render", "webhook-delivery": "Webhook delivery" };

/** The workspace's jobs that failed for good (their retries spent), with what went wrong. */
export function FailedJobs() {
  const trpc = useTRPC();
  const jobs = useQuery(trpc.usage.failedJobs.queryOptions());
  const rows = jobs.data ?? [];
  return (
    <div className="card" data-testid="failed-jobs">
      <h2>Failed jobs</h2>
      {jobs.error && <p className="error">{errorMessage(jobs.error)}</p>}
      {!jobs.error && rows.length === 0 && <p className="muted">{jobs.isPending ? "Loading…" : "No failed jobs."}</p>}
      {rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>Job</th>
              <th>For</th>
              <th>Attempts</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((j) => (
              <tr key={j.id}>
                <td>{new Date(j.finishedAt ?? j.createdAt).toLocaleString()}</td>
                <td>{LABELS[j.type] ?? j.type}</td>
                <td>{j.subject ?? "—"}</td>
                <td>{j.attempts}</td>
                <td>{j.error}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
