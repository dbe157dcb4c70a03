"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { errorMessage, useTRPC } from "../../../_trpc/client";

/** Disable/enable and delete buttons of one avatar card. */
export function AvatarActions({ id, status }: { id: string; status: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const onError = (e: unknown) => setError(errorMessage(e));
  const toggle = useMutation(trpc.avatars.setEnabled.mutationOptions({ onSuccess: () => router.refresh(), onError }));
  const remove = useMutation(trpc.avatars.remove.mutationOptions({ onSuccess: () => router.refresh(), onError }));
  const busy = toggle.isPending || remove.isPending;
  return (
    <div>
      {(status === "disabled" || status === "draft" || status === "ready" || status === "failed") && (
        <button type="button" disabled={busy} onClick={() => toggle.mutate({ id, enabled: status === "disabled" })} data-testid="avatar-toggle">
          {status === "disabled" ? "Enable" : "Disable"}
        </button>
      )}{" "}
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          if (window.confirm("Delete this avatar? API calls using its id will stop working.")) remove.mutate({ id });
        }}
        data-testid="avatar-delete"
      >
        Delete
      </button>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
