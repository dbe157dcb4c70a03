"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC } from "../../../_trpc/client";

export function RenameTenantForm({ name, canEdit }: { name: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const rename = useMutation(trpc.tenants.rename.mutationOptions({ onSuccess: () => router.refresh() }));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      await rename.mutateAsync({ name: String(new FormData(event.currentTarget).get("name") ?? "") });
      setMessage({ ok: true, text: "Saved." });
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    }
  }

  return (
    <form onSubmit={onSubmit} data-testid="rename-tenant-form">
      <input name="name" defaultValue={name} maxLength={80} disabled={!canEdit} aria-label="Workspace name" />
      {message && <p className={message.ok ? "ok" : "error"} role="status">{message.text}</p>}
      {canEdit && <p><button className="primary" type="submit" disabled={rename.isPending}>Save</button></p>}
    </form>
  );
}
