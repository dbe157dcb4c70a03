"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC } from "../../../_trpc/client";
import { UploadAssetForm } from "../assets/upload-asset-form";

export type PortraitOption = { id: string; publicUrl: string | null; name: string | null };
type Source = "image" | "video";

/** Name + source (a portrait or a short video of the person: uploaded before, or a new upload) → an avatar, prepared in the background. */
export function CreateAvatarForm({ portraits, videos = [] }: { portraits: PortraitOption[]; videos?: PortraitOption[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.avatars.create.mutationOptions({ onSuccess: () => router.refresh() }));
  const [source, setSource] = useState<Source>("image");
  const [selected, setSelected] = useState<Record<Source, string | null>>({ image: portraits[0]?.id ?? null, video: videos[0]?.id ?? null });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const options = source === "image" ? portraits : videos;
  const chosen = selected[source];

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const displayName = String(new FormData(form).get("displayName") ?? "").trim();
    if (!chosen) return setMessage({ ok: false, text: source === "image" ? "Choose or upload a portrait first." : "Choose or upload a video first (3–60 s, one person facing the camera)." });
    try {
      const avatar = await create.mutateAsync({ displayName, sourceKind: source, sourceAssetId: chosen });
      setMessage({ ok: true, text: source === "image" ? `Created ${avatar.displayName}.` : `Created ${avatar.displayName}; its video is being prepared (open it to follow the progress).` });
      form.reset();
    } catch (error) {
      setMessage({ ok: false, text: errorMessage(error) });
    }
  }

  return (
    <>
      <p role="radiogroup" aria-label="Source">
        {(["image", "video"] as const).map((s) => (
          <label key={s} style={{ marginRight: "1rem" }}>
            <input type="radio" name="source" value={s} checked={source === s} onChange={() => setSource(s)} data-testid={`source-${s}`} /> {s === "image" ? "Portrait photo" : "Video of the person (3–60 s)"}
          </label>
        ))}
      </p>
      <UploadAssetForm key={source} kind={source} label={source === "image" ? "Upload portrait" : "Upload video"} onUploaded={(asset) => setSelected((s) => ({ ...s, [source]: asset.id }))} />
      <form onSubmit={onSubmit} data-testid="create-avatar-form">
        {options.length > 0 && (
          <div className="grid" role="radiogroup" aria-label={source === "image" ? "Portrait" : "Video"} style={{ gridTemplateColumns: "repeat(auto-fill, minmax(96px, 1fr))", margin: "1rem 0" }}>
            {options.map((p) => (
              <label key={p.id} data-testid={source === "image" ? "portrait-option" : "video-option"} style={{ cursor: "pointer", outline: chosen === p.id ? "2px solid var(--accent)" : "none", borderRadius: 8 }}>
                <input type="radio" name="sourceAsset" value={p.id} checked={chosen === p.id} onChange={() => setSelected((s) => ({ ...s, [source]: p.id }))} style={{ display: "none" }} />
                {p.publicUrl &&
                  (source === "image" ? (
                    <img src={p.publicUrl} alt={p.name ?? "portrait"} style={{ width: "100%", aspectRatio: "1", objectFit: "cover", borderRadius: 8 }} />
                  ) : (
                    <video src={p.publicUrl} muted playsInline preload="metadata" title={p.name ?? "video"} style={{ width: "100%", aspectRatio: "1", objectFit: "cover", borderRadius: 8 }} />
                  ))}
              </label>
            ))}
          </div>
        )}
        <p>
          <input name="displayName" required maxLength={160} placeholder="Avatar name" aria-label="Avatar name" data-testid="avatar-name" />
          <button className="primary" type="submit" disabled={create.isPending || !chosen} data-testid="create-avatar">
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
