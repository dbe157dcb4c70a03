"use client";

import { useEffect, useRef, useState } from "react";
import { AvatarPlayer, type PlayerStats } from "@/packages/sdk/src";
import type { RenderClientSink } from "@/app/_stage/render-sink";

type Status = "idle" | "connecting" | "speaking" | "done" | "error";

/**
 * "Type text and press speak": the server's embedded TTS and viseme engine stream a turn
 * (/api/demo/speak, no sign-in, rate limited per address, billed to nobody) that the SDK player
 * plays through this page's renderer.
 */
export function DemoSpeak({ sink, disabled }: { sink: RenderClientSink | null; disabled?: boolean }) {
  const [text, setText] = useState("Hi! Type a sentence here and I will say it.");
  const [status, setStatus] = useState<Status>("idle");
  const [error, setError] = useState<string | null>(null);
  const [stats, setStats] = useState<PlayerStats | null>(null);
  const [firstAudioMs, setFirstAudioMs] = useState<number | null>(null);
  const player = useRef<AvatarPlayer | null>(null);
  const audio = useRef<AudioContext | null>(null);

  useEffect(() => () => player.current?.stop(), []);

  async function speak() {
    if (!sink) return;
    setError(null);
    setFirstAudioMs(null);
    setStatus("connecting");
    try {
      const ctx = (audio.current ??= new AudioContext()); // from the click: browsers start audio only on a gesture
      await ctx.resume();
      const t0 = performance.now();
      const res = await fetch("/api/demo/speak", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text }) });
      if (!res.ok) throw new Error(((await res.json().catch(() => ({}))) as { error?: string }).error ?? `The demo could not speak (${res.status}).`);
      player.current?.stop();
      const p = new AvatarPlayer({ sink, audioContext: ctx, statsIntervalMs: 100 });
      player.current = p;
      p.on("stats", (s) => {
        setStats(s);
        if (s.playedSeconds > 0) setFirstAudioMs((v) => v ?? Math.round(performance.now() - t0));
      });
      setStatus("speaking");
      const result = await p.play(res);
      setStats(result.stats);
      if (result.reason === "error") throw result.error instanceof Error ? result.error : new Error(String(result.error));
      setStatus("done");
    } catch (err) {
      setStatus("error");
      setError((err as Error).message);
    }
  }

  return (
    <div data-testid="demo-speak" data-status={status}>
      <label htmlFor="demo-speak-text">Or type text for the avatar to say</label>
      <textarea id="demo-speak-text" data-testid="demo-speak-text" rows={3} maxLength={300} value={text} onChange={(e) => setText(e.target.value)} style={{ width: "100%" }} />
      <div className="row">
        <button type="button" className="button primary" data-testid="demo-speak-button" disabled={!sink || disabled || !text.trim() || status === "connecting" || status === "speaking"} onClick={() => void speak()}>
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
