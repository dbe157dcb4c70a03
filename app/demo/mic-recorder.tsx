"use client";

import { useRef, useState } from "react";

const MAX_RECORD_MS = 15_000;

/** Records a short microphone clip (MediaRecorder) and hands it over as a Blob. */
export function MicRecorder({ onClip, disabled }: { onClip: (clip: Blob) => void; disabled?: boolean }) {
  const [recording, setRecording] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);

  async function start() {
    setError(null);
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const rec = new MediaRecorder(stream);
      const chunks: Blob[] = [];
      rec.ondataavailable = (e) => chunks.push(e.data);
      rec.onstop = () => {
        stream.getTracks().forEach((t) => t.stop());
        setRecording(false);
        onClip(new Blob(chunks, { type: rec.mimeType }));
      };
      recorder.current = rec;
      rec.start();
      setRecording(true);
      setTimeout(() => rec.state === "recording" && rec.stop(), MAX_RECORD_MS);
    } catch (err) {
      setError(`Microphone unavailable: ${(err as Error).message}. Upload an audio file instead.`);
    }
  }

  return (
    <span>
      <button type="button" className="button" data-testid="demo-record" disabled={disabled} onClick={() => (recording ? recorder.current?.stop() : void start())}>
        {recording ? "Stop recording" : "Record microphone"}
      </button>
      {error && <span className="error" data-testid="demo-record-error"> {error}</span>}
    </span>
  );
}
