"use client";

import { useEffect, useRef, useState } from "react";
import { AvatarPlayer, type AvatarState, type DecodedVideoFrame, type FrameSink, type MuxFace, type MuxMouthParams, type PlayerStats } from "@/packages/sdk/src";
import type { RenderClientSink } from "./render-sink";

export type SpeakStatus = "idle" | "connecting" | "speaking" | "done" | "error";

export type SpeakPlayerOptions = {
  /** The stage's sink; null while the stage prepares (speak() then does nothing). */
  sink: RenderClientSink | null;
  /** The route that answers `{ text }` with a realtime turn (a mux stream). */
  url: string;
  /** The message shown when the route refuses without an `error` of its own. */
  failure: (status: number) => string;
};

export type SpeakPlayer = {
  status: SpeakStatus;
  error: string | null;
  stats: PlayerStats | null;
  /** From the click to the first frame the sink drew, in ms. */
  firstFrameMs: number | null;
  /** From the click to the first stats that report played audio, in ms. */
  firstAudioMs: number | null;
  speak: (text: string) => Promise<void>;
};

/** Records when the first frame of a turn is drawn, passing everything on to the renderer's sink. */
class FirstFrameSink implements FrameSink {
  firstFrameAt: number | null = null;
  constructor(private readonly inner: RenderClientSink) {}
  get tier() {
    return this.inner.tier;
  }
  drawMotion(params: MuxMouthParams, t: number, face?: MuxFace): void {
    this.firstFrameAt ??= performance.now();
    this.inner.drawMotion(params, t, face);
  }
  drawVideo(frame: DecodedVideoFrame): void {
    this.firstFrameAt ??= performance.now();
    this.inner.drawVideo(frame);
  }
  setState(state: AvatarState): void {
    this.inner.setState(state);
  }
}

/**
 * "Type text, press Speak", shared by the dashboard's Speak panel and the public demo: posts the
 * text, plays the answered turn with the SDK player on the stage's renderer, and reports status,
 * stats and the time to the first frame and the first sound.
 */
export function useSpeakPlayer({ sink, url, failure }: SpeakPlayerOptions): SpeakPlayer {
  const [status, setStatus] = useState<SpeakStatus>("idle");
  const [error, setError] = useState<string | null>(null);
  const [stats, setStats] = useState<PlayerStats | null>(null);
  const [firstFrameMs, setFirstFrameMs] = useState<number | null>(null);
  const [firstAudioMs, setFirstAudioMs] = useState<number | null>(null);
  const player = useRef<AvatarPlayer | null>(null);
  const audio = useRef<AudioContext | null>(null);

  // The player draws on the renderer behind this sink: stop it with the renderer.
  useEffect(() => () => player.current?.stop(), [sink]);

  async function speak(text: string) {
    if (!sink) return;
    setError(null);
    setStats(null);
    setFirstFrameMs(null);
    setFirstAudioMs(null);
    setStatus("connecting");
    try {
      // Created in the click handler: browsers start audio only from a user gesture.
      const ctx = (audio.current ??= new AudioContext());
      await ctx.resume();
      const t0 = performance.now();
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text }) });
      if (!res.ok) throw new Error(((await res.json().catch(() => ({}))) as { error?: string }).error ?? failure(res.status));
      player.current?.stop();
      const frames = new FirstFrameSink(sink);
      const p = new AvatarPlayer({ sink: frames, audioContext: ctx, statsIntervalMs: 100 });
      player.current = p;
      const firstFrame = () => {
        if (frames.firstFrameAt !== null) setFirstFrameMs(Math.round(frames.firstFrameAt - t0));
      };
      p.on("stats", (s) => {
        setStats(s);
        firstFrame();
        if (s.playedSeconds > 0) setFirstAudioMs((v) => v ?? Math.round(performance.now() - t0));
      });
      setStatus("speaking");
      const result = await p.play(res);
      setStats(result.stats);
      firstFrame();
      if (result.reason === "error") throw result.error instanceof Error ? result.error : new Error(String(result.error));
      setStatus("done");
    } catch (err) {
      setStatus("error");
      setError((err as Error).message);
    }
  }

  return { status, error, stats, firstFrameMs, firstAudioMs, speak };
}
