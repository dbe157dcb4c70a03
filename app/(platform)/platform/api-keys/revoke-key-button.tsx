"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../../_trpc/client";

/** Revokes a key of either kind after a confirmation naming what stops working. */
export function RevokeKeyButton({ id, name, consequence }: { id: string; name: string; consequence: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() }) }));
  return (
    <button
      type="button"
      disabled={revoke.isPending}
      onClick={() => {
        if (confirm(`Revoke "${name}"? ${consequence}`)) revoke.mutate({ id });
      }}
    >
      Revoke
    </button>
  );
}
