"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { errorMessage, useTRPC } from "../../../_trpc/client";
import { KeyBasicsFields } from "./key-basics-fields";
import { RevokeKeyButton } from "./revoke-key-button";

// Publishable keys (tic_pub_…) for pages that embed the avatar without a backend: each names the
// avatars it may start sessions for and the origins it may be used from (docs/security.md).

export function PublishableKeysPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const avatars = useQuery(trpc.avatars.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
  const create = useMutation(trpc.apiKeys.createPublishable.mutationOptions({ onSuccess: refresh }));
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const publishable = keys.data?.filter((k) => k.kind === "publishable") ?? [];
  const avatarName = (id: string) => avatars.data?.find((a) => a.id === id)?.displayName ?? id;

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(null);
    try {
      const key = await create.mutateAsync({
        name: String(form.get("name") ?? ""),
        environment: form.get("environment") === "live" ? "live" : "test",
        avatarIds: form.getAll("avatarIds").map(String),
        allowedOrigins: String(form.get("allowedOrigins") ?? "").split(/[\s,]+/).filter(Boolean),
      });
      setCreated(key.apiKey);
      dialog.current?.showModal();
      (event.target as HTMLFormElement).reset();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <>
      <h2>Publishable keys</h2>
      <p className="muted">
        For a page that embeds an avatar without a server of its own. A publishable key can only start live sessions, for the avatars it names, from the origins it names. To choose the persona
        or limits per visitor, create sessions on your server with a secret key instead (the SDK&apos;s route adapters).
      </p>
      <form className="card" onSubmit={onCreate} data-testid="create-publishable-key-form">
        <KeyBasicsFields idPrefix="pub" placeholder="marketing site widget" />
        <fieldset style={{ border: 0, padding: 0, margin: ".8rem 0 0" }}>
          <legend className="muted">Avatars</legend>
          {avatars.data?.length === 0 && <p className="muted">No avatars yet.</p>}
          <div className="row">
            {avatars.data?.map((a) => (
              <label key={a.id} className="row" style={{ margin: 0 }}>
                <input type="checkbox" name="avatarIds" value={a.id} style={{ width: "auto" }} />
                {a.displayName} <code>{a.id}</code>
              </label>
            ))}
          </div>
        </fieldset>
        <label htmlFor="pub-origins">Allowed origins (one per line: https://www.example.com, http://localhost:3000, or https://*.example.com)</label>
        <textarea id="pub-origins" name="allowedOrigins" required rows={3} placeholder="https://www.example.com" />
        {error && <p className="error" role="alert">{error}</p>}
        <p><button className="primary" type="submit" disabled={create.isPending}>Create publishable key</button></p>
      </form>

      <dialog ref={dialog} className="card" data-testid="new-publishable-key-dialog" onCancel={() => setCreated(null)}>
        <h2>Your publishable key</h2>
        <p className="muted">It may sit in your page&apos;s HTML. It is shown once; create another if you lose it.</p>
        <code data-testid="new-publishable-key" style={{ display: "block", overflowWrap: "anywhere", padding: ".6rem", background: "var(--panel-2)", borderRadius: 8 }}>{created}</code>
        <p className="row">
          <button type="button" onClick={() => created && navigator.clipboard.writeText(created)}>Copy</button>
          <button type="button" className="primary" onClick={() => { setCreated(null); dialog.current?.close(); }}>Done</button>
        </p>
      </dialog>

      {publishable.length > 0 && (
        <table data-testid="publishable-keys-table">
          <thead>
            <tr><th>Name</th><th>Key</th><th>Env</th><th>Avatars</th><th>Origins</th><th>Status</th><th /></tr>
          </thead>
          <tbody>
            {publishable.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td><code>{k.redactedKey}</code></td>
                <td><span className="badge">{k.environment}</span></td>
                <td>{k.avatarIds.map(avatarName).join(", ")}</td>
                <td>{k.allowedOrigins.map((o) => <code key={o} style={{ display: "block" }}>{o}</code>)}</td>
                <td>{k.status}</td>
                <td>
                  {k.status === "active" && <RevokeKeyButton id={k.id} name={k.name} consequence="Pages using it stop starting sessions at once." />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
