"use client";

import { useMutation } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { AvatarStage } from "@/app/_stage/avatar-stage";
import { useAvatarStage, type StageSource } from "@/app/_stage/use-avatar-stage";
import { useSpeakPlayer } from "@/app/_stage/use-speak-player";
import { useTRPC } from "@/app/_trpc/client";
import type { Rig } from "@/core/render/rig";
import type { LoopPlan } from "@/core/video/video-frames";
import { TalkControls } from "./talk-controls";

/** Canvas size of the avatar stage. */
const STAGE_SIZE = 384;

/** The avatar's prepared rig (the dashboard's rig route) and the portrait it was prepared from. */
async function loadAvatar(avatarId: string): Promise<StageSource> {
  const res = await fetch(`/api/platform/avatars/${encodeURIComponent(avatarId)}/rig`, { cache: "no-store" });
  const body = (await res.json()) as { rig?: Rig; portraitUrl?: string; video?: { loopUrl: string; plan: LoopPlan }; error?: string };
  if (!res.ok || !body.rig || !(body.portraitUrl || body.video)) throw new Error(body.error ?? `could not load the avatar (${res.status})`);
  if (body.video) return { rig: body.rig, video: { url: body.video.loopUrl, plan: body.video.plan } };
  return { rig: body.rig, portrait: await (await fetch(body.portraitUrl!)).blob() };
}

/** Type text, press Speak: a realtime turn from the server, played by the SDK player on this page. */
export function SpeakPanel({ avatarId, testHooks }: { avatarId: string; testHooks: boolean }) {
  const load = useCallback(() => loadAvatar(avatarId), [avatarId]);
  const stageHandle = useAvatarStage({ load, size: STAGE_SIZE, canvasTestId: "speak-canvas", testHooks });
  const stage = stageHandle.state;
  const [text, setText] = useState("Hello! I am your new avatar. Type something and I will say it.");
  const { status, error, stats, firstFrameMs, speak } = useSpeakPlayer({
    sink: stage.phase === "ready" ? stage.sink : null,
    url: `/api/platform/avatars/${encodeURIComponent(avatarId)}/speak`,
    failure: (code) => `The turn failed (${code}).`,
  });
  const talk = useMutation(useTRPC().sessions.talk.mutationOptions());

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
          <button type="button" className="button primary" data-testid="speak-button" disabled={stage.phase !== "ready" || !text.trim() || status === "connecting" || status === "speaking"} onClick={() => void speak(text)}>
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
