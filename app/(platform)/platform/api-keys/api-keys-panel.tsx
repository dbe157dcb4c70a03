"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { API_KEY_SCOPES, DEFAULT_KEY_SCOPES } from "@/core/api-keys/scopes";
import { errorMessage, useTRPC } from "../../../_trpc/client";
import { KeyBasicsFields } from "./key-basics-fields";
import { RevokeKeyButton } from "./revoke-key-button";

const seconds = (micros: number | null) => (micros === null ? "—" : `${(micros / 1e6).toLocaleString()} s`);

export function ApiKeysPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions(undefined, { select: (all) => all.filter((k) => k.kind === "secret") }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
  const create = useMutation(trpc.apiKeys.create.mutationOptions({ onSuccess: refresh }));
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const limitSeconds = String(form.get("spendLimitSeconds") ?? "").trim();
    const expires = String(form.get("expiresAt") ?? "").trim();
    setError(null);
    try {
      const created = await create.mutateAsync({
        name: String(form.get("name") ?? ""),
        environment: form.get("environment") === "live" ? "live" : "test",
        scopes: form.getAll("scopes").map(String) as (typeof API_KEY_SCOPES)[number][],
        spendLimitCreditMicros: limitSeconds ? Math.round(Number(limitSeconds) * 1e6) : null,
        expiresAt: expires ? new Date(`${expires}T23:59:59Z`).toISOString() : null,
      });
      setSecret(created.apiKey);
      setCopied(false);
      dialog.current?.showModal();
      (event.target as HTMLFormElement).reset();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  function closeDialog() {
    // The secret is dropped from memory when the dialog closes: it cannot be shown again.
    setSecret(null);
    dialog.current?.close();
  }

  return (
    <>
      <form className="card" onSubmit={onCreate} data-testid="create-key-form">
        <h2>Create a key</h2>
        <KeyBasicsFields idPrefix="key" placeholder="production server" />
        <fieldset style={{ border: 0, padding: 0, margin: ".8rem 0 0" }}>
          <legend className="muted">Scopes</legend>
          <div className="row">
            {API_KEY_SCOPES.map((scope) => (
              <label key={scope} className="row" style={{ margin: 0 }}>
                <input type="checkbox" name="scopes" value={scope} defaultChecked={DEFAULT_KEY_SCOPES.includes(scope)} style={{ width: "auto" }} />
                <code>{scope}</code>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="row">
          <div style={{ flex: 1 }}>
            <label htmlFor="key-limit">Spend limit (realtime seconds, optional)</label>
            <input id="key-limit" name="spendLimitSeconds" type="number" min={0} step={1} placeholder="no limit" />
          </div>
          <div style={{ flex: 1 }}>
            <label htmlFor="key-expiry">Expires (optional)</label>
            <input id="key-expiry" name="expiresAt" type="date" />
          </div>
        </div>
        {error && <p className="error" role="alert">{error}</p>}
        <p><button className="primary" type="submit" disabled={create.isPending}>Create key</button></p>
      </form>

      <dialog ref={dialog} className="card" data-testid="new-key-dialog" onCancel={closeDialog}>
        <h2>Copy your key now</h2>
        <p className="muted">This is the only time the full key is shown. Store it in your secret manager.</p>
        <code data-testid="new-key-secret" style={{ display: "block", overflowWrap: "anywhere", padding: ".6rem", background: "var(--panel-2)", borderRadius: 8 }}>{secret}</code>
        <p className="row">
          <button
            type="button"
            onClick={async () => {
              if (secret) await navigator.clipboard.writeText(secret);
              setCopied(true);
            }}
          >
            {copied ? "Copied" : "Copy"}
          </button>
          <button type="button" className="primary" onClick={closeDialog}>I stored it</button>
        </p>
      </dialog>

      <h2>Keys</h2>
      {keys.isLoading && <p className="muted">Loading…</p>}
      {keys.error && <p className="error">{errorMessage(keys.error)}</p>}
      {keys.data && keys.data.length === 0 && <div className="empty" data-testid="empty-state">No keys yet. Create one above.</div>}
      {keys.data && keys.data.length > 0 && (
        <table data-testid="api-keys-table">
          <thead>
            <tr><th>Name</th><th>Key</th><th>Env</th><th>Scopes</th><th>Spent / limit</th><th>Last used</th><th>Status</th><th /></tr>
          </thead>
          <tbody>
            {keys.data.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td><code>{k.redactedKey}</code></td>
                <td><span className="badge">{k.environment}</span></td>
                <td>{k.scopes.join(", ")}</td>
                <td>{seconds(k.spentCreditMicros)} / {seconds(k.spendLimitCreditMicros)}</td>
                <td className="muted">{k.lastUsedAt ? k.lastUsedAt.replace("T", " ").slice(0, 16) : "never"}</td>
                <td>{k.status}{k.expiresAt && k.status === "active" ? ` until ${k.expiresAt.slice(0, 10)}` : ""}</td>
                <td>
                  {k.status === "active" && <RevokeKeyButton id={k.id} name={k.name} consequence="Calls with it will fail at once." />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
