"use client";

// XMLHttpRequest rather than fetch: only XHR reports upload progress in every browser.

export type UploadedAsset = { id: string; kind: "image" | "video" | "audio"; contentType: string; sizeBytes: number; publicUrl: string | null };
export type UploadProgress = { loaded: number; total: number };

/** Uploads one file to the dashboard upload route, reporting progress; rejects with the server's message. */
export function uploadAsset(file: File, kind: string | undefined, onProgress: (p: UploadProgress) => void): { done: Promise<UploadedAsset>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadedAsset>((resolve, reject) => {
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onerror = () => reject(new Error("The upload failed: network error. Check your connection and try again."));
    xhr.onabort = () => reject(new Error("Upload cancelled."));
    xhr.onload = () => {
      let body: { error?: string } & Partial<UploadedAsset> = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // Not JSON (a proxy error page): fall through to the status message.
      }
      if (xhr.status === 201) resolve(body as UploadedAsset);
      else reject(new Error(body.error ?? `The upload failed (HTTP ${xhr.status}).`));
    };
  });
  const form = new FormData();
  if (kind) form.set("kind", kind);
  form.set("file", file);
  xhr.open("POST", "/api/platform/assets");
  xhr.setRequestHeader("X-Tic-Upload", "1");
  xhr.send(form);
  return { done, abort: () => xhr.abort() };
}
