"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC } from "../../../_trpc/client";
import { UploadAssetForm } from "../assets/upload-asset-form";

export type PortraitOption = { id: string; publicUrl: string | null; name: string | null };

/** Name + portrait (an uploaded image, or a new upload) → a draft avatar. */
export function CreateAvatarForm({ portraits }: { portraits: PortraitOption[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.avatars.create.mutationOptions({ onSuccess: () => router.refresh() }));
  const [selected, setSelected] = useState<string | null>(portraits[0]?.id ?? null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const displayName = String(new FormData(form).get("displayName") ?? "").trim();
    if (!selected) return setMessage({ ok: false, text: "Choose or upload a portrait first." });
    try {
      const avatar = await create.mutateAsync({ displayName, sourceKind: "image", sourceAssetId: selected });
      setMessage({ ok: true, text: `Created ${avatar.displayName}.` });
      form.reset();
    } catch (error) {
      setMessage({ ok: false, text: errorMessage(error) });
    }
  }

  return (
    <>
      <UploadAssetForm kind="image" label="Upload portrait" onUploaded={(asset) => setSelected(asset.id)} />
      <form onSubmit={onSubmit} data-testid="create-avatar-form">
        {portraits.length > 0 && (
          <div className="grid" role="radiogroup" aria-label="Portrait" style={{ gridTemplateColumns: "repeat(auto-fill, minmax(96px, 1fr))", margin: "1rem 0" }}>
            {portraits.map((p) => (
              <label key={p.id} data-testid="portrait-option" style={{ cursor: "pointer", outline: selected === p.id ? "2px solid var(--accent)" : "none", borderRadius: 8 }}>
                <input type="radio" name="portrait" value={p.id} checked={selected === p.id} onChange={() => setSelected(p.id)} style={{ display: "none" }} />
                {p.publicUrl && (
                  <img src={p.publicUrl} alt={p.name ?? "portrait"} style={{ width: "100%", aspectRatio: "1", objectFit: "cover", borderRadius: 8 }} />
                )}
              </label>
            ))}
          </div>
        )}
        <p>
          <input name="displayName" required maxLength={160} placeholder="Avatar name" aria-label="Avatar name" data-testid="avatar-name" />
          <button className="primary" type="submit" disabled={create.isPending || !selected} data-testid="create-avatar">
            Create avatar
          </button>
        </p>
        {message && (
          <p className={message.ok ? "ok" : "error"} role="status" data-testid="create-avatar-message">
            {message.text}
          </p>
        )}
      </form>
    </>
  );
}
