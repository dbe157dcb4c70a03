"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { AvatarStage } from "@/app/_stage/avatar-stage";
import { CLIP_MAX_SECONDS, decodeToMono } from "@/app/_stage/decode-audio";
import { lipsyncWorker, openMouthStream } from "@/app/_stage/lipsync";
import { streamTurn } from "@/app/_stage/stream-turn";
import { useAvatarStage, type StageSource } from "@/app/_stage/use-avatar-stage";
import type { Rig } from "@/core/render/rig";
import { AvatarPlayer, type PlayerStats } from "@/packages/sdk/src";
import type { RenderTier } from "@/workers/render/render-client";
import styles from "./demo.module.css";
import { DemoSpeak } from "./demo-speak";
import { MicRecorder } from "./mic-recorder";

/** Output size of the demo canvas (the rig's crop is scaled to it). */
const DEMO_SIZE = 512;
const SAMPLE_PORTRAIT = "/demo/astronaut.png";
const SAMPLE_SPEECH = "/demo/speech.wav";
const TIERS = new Set(["webgpu", "canvas2d"]);

type Clip = { blob: Blob | null; name: string };
type Status = "idle" | "analyzing" | "playing" | "done" | "error";

/** Rig for an uploaded portrait: the demo's prepare route finds the face and builds it. */
async function prepare(portrait: Blob): Promise<StageSource> {
  const res = await fetch("/api/demo/prepare", { method: "POST", body: portrait, headers: { "content-type": portrait.type || "application/octet-stream" } });
  const body = (await res.json().catch(() => ({}))) as { rig?: Rig; warnings?: { message: string }[]; error?: string; code?: string };
  if (!res.ok || !body.rig) throw Object.assign(new Error(body.error ?? `prepare failed (${res.status})`), { code: body.code ?? "prepare_failed" });
  return { rig: body.rig, portrait, warnings: (body.warnings ?? []).map((w) => w.message) };
}

/** The public demo: portrait + speech → the avatar speaks, rendered and lip-synced in this browser. */
export function DemoApp({ testHooks }: { testHooks: boolean }) {
  const [portrait, setPortrait] = useState<{ blob: Blob | null; version: number }>({ blob: null, version: 0 });
  const [clip, setClip] = useState<Clip>({ blob: null, name: "speech.wav (sample)" });
  const [tier, setTier] = useState<RenderTier | undefined>(undefined);
  const [status, setStatus] = useState<Status>("idle");
  const [error, setError] = useState<string | null>(null);
  const [stats, setStats] = useState<PlayerStats | null>(null);
  const [firstSoundMs, setFirstSoundMs] = useState<number | null>(null);
  const [fps, setFps] = useState(0);
  const audioCtx = useRef<AudioContext | null>(null);
  const player = useRef<AvatarPlayer | null>(null);

  useEffect(() => {
    // A page may force a tier (?tier=canvas2d) to compare tiers on one device.
    const forced = new URLSearchParams(window.location.search).get("tier");
    if (forced && TIERS.has(forced)) setTier(forced as RenderTier);
    void fetch(SAMPLE_PORTRAIT).then(async (r) => setPortrait({ blob: await r.blob(), version: 1 }));
    void lipsyncWorker().catch(() => undefined); // warm the viseme model while the user looks around
  }, []);

  const blob = portrait.blob;
  const load = useMemo(() => (blob ? () => prepare(blob) : null), [blob]);
  const stage = useAvatarStage({ load, size: DEMO_SIZE, canvasTestId: "demo-canvas", tier, testHooks });
  const renderer = stage.state;
  const ready = renderer.phase === "ready";

  useEffect(() => {
    if (renderer.phase !== "ready") return;
    const id = setInterval(() => setFps(renderer.sink.fps), 500);
    return () => {
      clearInterval(id);
      player.current?.stop(); // its sink belongs to the renderer being torn down
    };
  }, [renderer]);

  const play = useCallback(async () => {
    if (renderer.phase !== "ready") return;
    setError(null);
    setStatus("analyzing");
    try {
      // Created in the click handler: browsers only start audio from a user gesture.
      const ctx = (audioCtx.current ??= new AudioContext());
      await ctx.resume();
      const bytes = await (clip.blob ?? (await (await fetch(SAMPLE_SPEECH)).blob())).arrayBuffer();
      const { pcm, sampleRate, truncated } = await decodeToMono(bytes);
      if (truncated) setError(`The clip was cut to its first ${CLIP_MAX_SECONDS} seconds.`);
      const t0 = performance.now();
      setFirstSoundMs(null);
      const mouth = await openMouthStream(sampleRate);
      player.current?.stop();
      // The clip is analysed while it plays; 400 ms of buffer keeps the model ahead of the audio.
      const p = new AvatarPlayer({ sink: renderer.sink, audioContext: ctx, statsIntervalMs: 100, playoutDelayMs: 400 });
      player.current = p;
      p.on("stats", (s) => {
        setStats(s);
        if (s.playedSeconds > 0) setFirstSoundMs((v) => v ?? Math.round(performance.now() - t0));
      });
      setStatus("playing");
      const result = await p.play(streamTurn({ pcm, sampleRate, mouth, avatarId: "demo" }));
      setStats(result.stats);
      setStatus(result.reason === "error" ? "error" : "done");
      if (result.reason === "error") setError(String((result.error as Error)?.message ?? result.error));
    } catch (err) {
      setStatus("error");
      setError(`Could not play this clip: ${(err as Error).message}`);
    }
  }, [renderer, clip]);

  return (
    <div className={styles.layout} data-testid="demo" data-status={status}>
      <div className="card">
        <AvatarStage stage={stage} size={DEMO_SIZE} testId="demo-stage" statusTestId="demo-renderer-status" preparing="Finding the face and building the rig…" ready={(s) => `Ready — prepared in ${s.prepareMs} ms`} />
      </div>
      <div className="card">
        <dl className={styles.stats}>
          <dt>Tier</dt><dd data-testid="demo-tier">{renderer.phase === "ready" ? renderer.tier : "—"}</dd>
          <dt>Render fps</dt><dd data-testid="demo-fps">{fps}</dd>
          <dt>Status</dt><dd data-testid="demo-status">{status}</dd>
          <dt>Played</dt><dd data-testid="demo-time">{(stats?.playedSeconds ?? 0).toFixed(2)}</dd>
          <dt>Frames drawn</dt><dd data-testid="demo-frames">{stats?.framesDrawn ?? 0}</dd>
          <dt>Late / dropped</dt><dd data-testid="demo-late">{stats ? `${stats.lateFrames} / ${stats.droppedFrames}` : "0 / 0"}</dd>
          <dt>A/V offset</dt><dd data-testid="demo-av-offset">{stats ? `${stats.avOffsetMs.toFixed(1)} ms` : "—"}</dd>
          <dt>First sound</dt><dd data-testid="demo-first-sound-ms">{firstSoundMs === null ? "—" : `${firstSoundMs} ms`}</dd>
        </dl>
        <div className="row">
          <button type="button" className="button primary" data-testid="demo-play" disabled={!ready || status === "analyzing" || status === "playing"} onClick={() => void play()}>
            {status === "analyzing" ? "Analysing…" : status === "playing" ? "Speaking…" : "Play"}
          </button>
          <button type="button" className="button" data-testid="demo-stop" disabled={status !== "playing"} onClick={() => player.current?.stop()}>Stop</button>
        </div>
        <p className="muted">Speech: <span data-testid="demo-clip-name">{clip.name}</span></p>
        <div className="row">
          <label className="button">
            Upload speech
            <input type="file" accept="audio/*" hidden data-testid="demo-audio-input" onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) setClip({ blob: f, name: f.name });
            }} />
          </label>
          <MicRecorder disabled={status === "playing"} onClip={(b) => setClip({ blob: b, name: "microphone clip" })} />
        </div>
        <div className="row">
          <label className="button">
            Upload portrait
            <input type="file" accept="image/png,image/jpeg,image/webp" hidden data-testid="demo-portrait-input" onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) setPortrait((p) => ({ blob: f, version: p.version + 1 }));
            }} />
          </label>
        </div>
        <DemoSpeak sink={renderer.phase === "ready" ? renderer.sink : null} disabled={status === "playing"} />
        {error && <p className="error" data-testid="demo-error">{error}</p>}
        <p className="muted">Everything runs in this browser: the viseme model in a web worker, the renderer on your GPU (or CPU). Nothing is rendered on our servers and nothing is billed.</p>
      </div>
    </div>
  );
}
