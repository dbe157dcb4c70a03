"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC } from "../../../_trpc/client";

/** The workspace's webhook receiver: URL, signing secret (reveal, rotate) and the latest deliveries. */
export function WebhookSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const endpoint = useQuery(trpc.webhooks.endpoint.queryOptions());
  const deliveries = useQuery({ ...trpc.webhooks.deliveries.queryOptions({ limit: 50 }), refetchInterval: 5_000 });
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.webhooks.endpoint.queryKey() }), queryClient.invalidateQueries({ queryKey: trpc.webhooks.deliveries.queryKey() })]);
  const set = useMutation(trpc.webhooks.set.mutationOptions({ onSuccess: refresh }));
  const rotate = useMutation(trpc.webhooks.rotateSecret.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.webhooks.remove.mutationOptions({ onSuccess: refresh }));
  const redeliver = useMutation(trpc.webhooks.redeliver.mutationOptions({ onSuccess: refresh }));
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [reveal, setReveal] = useState(false);

  async function run(what: () => Promise<unknown>, done: string) {
    setError(null);
    setMessage(null);
    try {
      await what();
      setMessage(done);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  function onSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(() => set.mutateAsync({ url: String(form.get("url") ?? ""), enabled: form.get("enabled") === "on" }), "Saved.");
  }

  if (endpoint.isError) return <p className="muted" data-testid="webhook-forbidden">{errorMessage(endpoint.error)}</p>;
  const current = endpoint.data;
  return (
    <div data-testid="webhook-settings">
      <p className="muted">
        When a live session ends, a <code>session.ended</code> event with the session and its transcript is POSTed to this URL, signed with the secret below
        (<code>Tic-Signature: t=…,v1=…</code>; check it with <code>verifyWebhook</code> from the SDK). Failed deliveries are retried with growing delays for about an hour.
      </p>
      <form onSubmit={onSave} data-testid="webhook-form" key={current?.updatedAt ?? "new"}>
        <label htmlFor="webhook-url">Endpoint URL</label>
        <input id="webhook-url" name="url" type="url" required maxLength={2048} placeholder="https://example.com/webhooks/tic" defaultValue={current?.url ?? ""} data-testid="webhook-url" style={{ width: "100%" }} />
        <label>
          <input type="checkbox" name="enabled" defaultChecked={current?.enabled ?? true} data-testid="webhook-enabled" /> Send events
        </label>
        <p>
          <button type="submit" className="button primary" disabled={set.isPending} data-testid="webhook-save">Save</button>{" "}
          {current && <button type="button" className="button" onClick={() => void run(() => remove.mutateAsync(), "Removed.")} data-testid="webhook-remove">Remove</button>}
        </p>
      </form>
      {current && (
        <p>
          Signing secret: <code data-testid="webhook-secret">{reveal ? current.secret : `${current.secret.slice(0, 10)}…`}</code>{" "}
          <button type="button" className="button" onClick={() => setReveal((r) => !r)} data-testid="webhook-reveal">{reveal ? "Hide" : "Reveal"}</button>{" "}
          <button type="button" className="button" onClick={() => void run(() => rotate.mutateAsync(), "A new secret is in use; the old one no longer verifies.")} data-testid="webhook-rotate">Rotate</button>
          <span className="muted"> since {current.secretRotatedAt.slice(0, 19).replace("T", " ")}</span>
        </p>
      )}
      {error && <p className="error" role="alert" data-testid="webhook-error">{error}</p>}
      {message && <p data-testid="webhook-message">{message}</p>}
      <h3>Deliveries</h3>
      {(deliveries.data ?? []).length === 0 ? (
        <p className="muted" data-testid="deliveries-empty">No deliveries yet.</p>
      ) : (
        <table data-testid="deliveries">
          <thead><tr><th>Created</th><th>Event</th><th>Session</th><th>Status</th><th>Attempts</th><th>Answer</th><th>Next attempt</th><th /></tr></thead>
          <tbody>
            {deliveries.data!.map((d) => (
              <tr key={d.id} data-testid="delivery-row" data-status={d.status}>
                <td>{d.createdAt.slice(0, 19).replace("T", " ")}</td>
                <td>{d.event}</td>
                <td><code>{d.subjectId}</code></td>
                <td><span className={`badge status-${d.status}`} data-testid="delivery-status">{d.status}</span></td>
                <td>{d.attempts}/{d.maxAttempts}</td>
                <td data-testid="delivery-answer" title={d.lastError ?? undefined}>{d.responseStatus ?? (d.lastError ? d.lastError.slice(0, 60) : "—")}</td>
                <td>{d.nextAttemptAt ? d.nextAttemptAt.slice(11, 19) : "—"}</td>
                <td>{d.status === "failed" && <button type="button" className="button" onClick={() => void run(() => redeliver.mutateAsync({ id: d.id }), "Queued again.")} data-testid="delivery-redeliver">Redeliver</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
