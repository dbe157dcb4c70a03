"use client";

import { useMutation } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { AvatarStage } from "@/app/_stage/avatar-stage";
import type { RenderClientSink } from "@/app/_stage/render-sink";
import { useAvatarStage, type StageSource } from "@/app/_stage/use-avatar-stage";
import type { Rig } from "@/core/render/rig";
import { AvatarPlayer, type AvatarState, type DecodedVideoFrame, type FrameSink, type MuxMouthParams, type PlayerStats } from "@/packages/sdk/src";
import { useTRPC } from "@/app/_trpc/client";
import { TalkControls } from "./talk-controls";

/** Canvas size of the avatar stage. */
const STAGE_SIZE = 384;

type Status = "idle" | "connecting" | "speaking" | "done" | "error";

/** Records when the first frame of a turn is drawn, passing everything on to the renderer's sink. */
class FirstFrameSink implements FrameSink {
  firstFrameAt: number | null = null;
  constructor(private readonly inner: RenderClientSink) {}
  get tier() {
    return this.inner.tier;
  }
  drawMotion(params: MuxMouthParams, t: number): void {
    this.firstFrameAt ??= performance.now();
    this.inner.drawMotion(params, t);
  }
  drawVideo(frame: DecodedVideoFrame): void {
    this.firstFrameAt ??= performance.now();
    this.inner.drawVideo(frame);
  }
  setState(state: AvatarState): void {
    this.inner.setState(state);
  }
}

/** The avatar's prepared rig (the dashboard's rig route) and the portrait it was prepared from. */
async function loadAvatar(avatarId: string): Promise<StageSource> {
  const res = await fetch(`/api/platform/avatars/${encodeURIComponent(avatarId)}/rig`, { cache: "no-store" });
  const body = (await res.json()) as { rig?: Rig; portraitUrl?: string; error?: string };
  if (!res.ok || !body.rig || !body.portraitUrl) throw new Error(body.error ?? `could not load the avatar (${res.status})`);
  return { rig: body.rig, portrait: await (await fetch(body.portraitUrl)).blob() };
}

/** Type text, press Speak: a realtime turn from the server, played by the SDK player on this page. */
export function SpeakPanel({ avatarId, testHooks }: { avatarId: string; testHooks: boolean }) {
  const load = useCallback(() => loadAvatar(avatarId), [avatarId]);
  const stageHandle = useAvatarStage({ load, size: STAGE_SIZE, canvasTestId: "speak-canvas", testHooks });
  const stage = stageHandle.state;
  const [text, setText] = useState("Hello! I am your new avatar. Type something and I will say it.");
  const [status, setStatus] = useState<Status>("idle");
  const [error, setError] = useState<string | null>(null);
  const [stats, setStats] = useState<PlayerStats | null>(null);
  const [firstFrameMs, setFirstFrameMs] = useState<number | null>(null);
  const player = useRef<AvatarPlayer | null>(null);
  const audio = useRef<AudioContext | null>(null);
  const talk = useMutation(useTRPC().sessions.talk.mutationOptions());

  // The player draws on the renderer of this stage: stop it with the stage.
  useEffect(() => () => player.current?.stop(), [stage]);

  async function speak() {
    if (stage.phase !== "ready") return;
    setError(null);
    setStats(null);
    setFirstFrameMs(null);
    setStatus("connecting");
    try {
      // Created in the click handler: browsers start audio only from a user gesture.
      const ctx = (audio.current ??= new AudioContext());
      await ctx.resume();
      const t0 = performance.now();
      const res = await fetch(`/api/platform/avatars/${encodeURIComponent(avatarId)}/speak`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text }) });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { error?: string };
        throw new Error(body.error ?? `The turn failed (${res.status}).`);
      }
      player.current?.stop();
      const sink = new FirstFrameSink(stage.sink);
      const p = new AvatarPlayer({ sink, audioContext: ctx, statsIntervalMs: 100 });
      player.current = p;
      p.on("stats", (s) => {
        setStats(s);
        if (sink.firstFrameAt !== null) setFirstFrameMs(Math.round(sink.firstFrameAt - t0));
      });
      setStatus("speaking");
      const result = await p.play(res);
      setStats(result.stats);
      if (sink.firstFrameAt !== null) setFirstFrameMs(Math.round(sink.firstFrameAt - t0));
      if (result.reason === "error") throw result.error instanceof Error ? result.error : new Error(String(result.error));
      setStatus("done");
    } catch (err) {
      setStatus("error");
      setError((err as Error).message);
    }
  }

  const seconds = stats?.renderedSeconds ?? 0;
  return (
    <div className="grid" data-testid="speak-panel" data-status={status}>
      <div className="card">
        <AvatarStage stage={stageHandle} size={STAGE_SIZE} testId="speak-stage" statusTestId="speak-stage-status" preparing="Loading the avatar…" ready={() => "Ready"} />
      </div>
      <div className="card">
        <label htmlFor="speak-text">Text to speak</label>
        <textarea id="speak-text" data-testid="speak-text" rows={4} maxLength={1000} value={text} onChange={(e) => setText(e.target.value)} style={{ width: "100%" }} />
        <p>
          <button type="button" className="button primary" data-testid="speak-button" disabled={stage.phase !== "ready" || !text.trim() || status === "connecting" || status === "speaking"} onClick={() => void speak()}>
            {status === "connecting" || status === "speaking" ? "Speaking…" : "Speak"}
          </button>
        </p>
        {error && <p className="error" role="alert" data-testid="speak-error">{error}</p>}
        <dl>
          <dt>Tier</dt>
          <dd data-testid="speak-tier">{stage.phase === "ready" ? stage.tier : "—"}</dd>
          <dt>Time to first frame</dt>
          <dd data-testid="speak-first-frame">{firstFrameMs === null ? "—" : `${firstFrameMs} ms`}</dd>
          <dt>Cost</dt>
          <dd data-testid="speak-cost">{stats ? `${seconds.toFixed(2)} s = ${Math.round(seconds * 1_000_000).toLocaleString("en")} sandbox credit micros` : "—"}</dd>
          <dt>Spoken</dt>
          <dd data-testid="speak-transcript">{stats?.text ?? ""}</dd>
        </dl>
        <p className="muted">Turns from this page run on your workspace&apos;s test environment and use its sandbox credits.</p>
      </div>
      <TalkControls stage={stage} busy={status === "connecting" || status === "speaking"} start={() => talk.mutateAsync({ avatarId })} />
    </div>
  );
}
