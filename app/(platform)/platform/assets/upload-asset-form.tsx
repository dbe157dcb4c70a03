"use client";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { uploadAsset, type UploadedAsset } from "./upload-request";

const ACCEPT = "image/png,image/jpeg,image/webp,video/mp4,video/webm,video/quicktime,audio/wav,audio/mpeg,audio/ogg,audio/flac,audio/mp4,.m4a";

/** File picker + progress bar; `kind` pins the expected kind (the avatar form asks for an image). */
export function UploadAssetForm({ kind, onUploaded, label = "Upload" }: { kind?: "image" | "video" | "audio"; onUploaded?: (a: UploadedAsset) => void; label?: string }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [abort, setAbort] = useState<(() => void) | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) return setMessage({ ok: false, text: "Choose a file first." });
    const chosenKind = kind ?? (String(new FormData(event.currentTarget).get("kind") ?? "") || undefined);
    setMessage(null);
    setProgress(0);
    const upload = uploadAsset(file, chosenKind, (p) => setProgress(p.total ? p.loaded / p.total : 0));
    setAbort(() => upload.abort);
    try {
      const asset = await upload.done;
      setMessage({ ok: true, text: `Uploaded ${file.name} as ${asset.contentType}.` });
      if (input.current) input.current.value = "";
      onUploaded?.(asset);
      router.refresh();
    } catch (error) {
      setMessage({ ok: false, text: (error as Error).message });
    } finally {
      setProgress(null);
      setAbort(null);
    }
  }

  return (
    <form onSubmit={onSubmit} data-testid="upload-form">
      <p>
        <input ref={input} type="file" name="file" accept={kind === "image" ? "image/png,image/jpeg,image/webp" : ACCEPT} aria-label="File" data-testid="upload-file" />
        {!kind && (
          <select name="kind" aria-label="Kind" data-testid="upload-kind" defaultValue="">
            <option value="">Detect kind</option>
            <option value="image">Image</option>
            <option value="video">Video</option>
            <option value="audio">Audio</option>
          </select>
        )}
        <button className="primary" type="submit" disabled={progress !== null} data-testid="upload-submit">
          {label}
        </button>
        {abort && (
          <button type="button" onClick={abort} data-testid="upload-cancel">
            Cancel
          </button>
        )}
      </p>
      {progress !== null && (
        <p>
          <progress max={1} value={progress} data-testid="upload-progress" aria-label="Upload progress" /> {Math.round(progress * 100)}%
        </p>
      )}
      {message && (
        <p className={message.ok ? "ok" : "error"} role="status" data-testid="upload-message">
          {message.text}
        </p>
      )}
    </form>
  );
}
