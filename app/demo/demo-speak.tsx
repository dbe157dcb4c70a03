"use client";

import { useState } from "react";
import type { RenderClientSink } from "@/app/_stage/render-sink";
import { useSpeakPlayer } from "@/app/_stage/use-speak-player";

/**
 * "Type text and press speak": the server's embedded TTS and viseme engine stream a turn
 * (/api/demo/speak, no sign-in, rate limited per address, billed to nobody) that the SDK player
 * plays through this page's renderer.
 */
export function DemoSpeak({ sink, disabled }: { sink: RenderClientSink | null; disabled?: boolean }) {
  const [text, setText] = useState("Hi! Type a sentence here and I will say it.");
  const { status, error, stats, firstAudioMs, speak } = useSpeakPlayer({ sink, url: "/api/demo/speak", failure: (code) => `The demo could not speak (${code}).` });

  return (
    <div data-testid="demo-speak" data-status={status}>
      <label htmlFor="demo-speak-text">Or type text for the avatar to say</label>
      <textarea id="demo-speak-text" data-testid="demo-speak-text" rows={3} maxLength={300} value={text} onChange={(e) => setText(e.target.value)} style={{ width: "100%" }} />
      <div className="row">
        <button type="button" className="button primary" data-testid="demo-speak-button" disabled={!sink || disabled || !text.trim() || status === "connecting" || status === "speaking"} onClick={() => void speak(text)}>
          {status === "connecting" || status === "speaking" ? "Speaking…" : "Speak"}
        </button>
        <span className="muted" data-testid="demo-speak-stats">
          {firstAudioMs !== null && `first sound after ${firstAudioMs} ms · `}
          {stats && `${stats.playedSeconds.toFixed(1)} s spoken`}
        </span>
      </div>
      {error && <p className="error" data-testid="demo-speak-error">{error}</p>}
      <p className="muted">The voice is espeak-ng on our server (robotic by design: it needs no network or key); the face is still drawn in this browser. Free, limited per address.</p>
    </div>
  );
}
