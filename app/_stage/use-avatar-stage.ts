"use client";

import { useEffect, useRef, useState, type RefObject } from "react";
import type { Rig } from "@/core/render/rig";
import type { LoopPlan } from "@/core/video/video-frames";
import { decodeLoopFrames } from "@/workers/render/decode-loop";
import { RenderClient, type RenderTier } from "@/workers/render/render-client";
import { exposeTestHook, toBase64 } from "@/workers/test-hooks";
import { framePortrait } from "./frame-portrait";
import { RenderClientSink } from "./render-sink";
import { stageGeometry } from "./stage-geometry";

/**
 * What a page hands the stage: the avatar's rig and the portrait it was prepared from, or for a
 * source-video avatar its loop (URL of the loop MP4 and the plan).
 */
export type StageSource = { rig: Rig; warnings?: string[] } & ({ portrait: Blob; video?: undefined } | { portrait?: undefined; video: { url: string; plan: LoopPlan } });

export type StageState =
  | { phase: "preparing" }
  | { phase: "ready"; sink: RenderClientSink; rig: Rig; tier: RenderTier; fallbackReason?: string; prepareMs: number; warnings: string[] }
  | { phase: "error"; code: string; message: string };

export type StageOptions = {
  /** Loads the rig and portrait (the demo prepares an upload; the dashboard loads a saved avatar); null: nothing yet. */
  load: (() => Promise<StageSource>) | null;
  /** Canvas size in pixels (the rig's crop is scaled to it). */
  size: number;
  canvasTestId: string;
  tier?: RenderTier;
  /** Install window.__tic.stage (the server enables it with ENABLE_LAB). */
  testHooks?: boolean;
};

/** A fresh canvas for one renderer: a canvas can hand its control to a worker only once. */
function createStageCanvas(size: number, testId: string): HTMLCanvasElement {
  const el = document.createElement("canvas");
  el.width = size;
  el.height = size;
  el.dataset.testid = testId;
  Object.assign(el.style, { width: `${size}px`, height: `${size}px`, maxWidth: "100%", background: "#111", borderRadius: "8px", display: "block" });
  return el;
}

/**
 * The avatar stage shared by the demo and the dashboard: rig + portrait → framed bitmap → render
 * worker on a canvas inside the returned host. The canvas is created here, outside React's tree,
 * because the render client owns it (it transfers it to the worker and may swap it for a fresh one
 * when leaving WebGPU). A new `load` (another portrait, another avatar) builds a new renderer.
 */
export function useAvatarStage({ load, size, canvasTestId, tier, testHooks }: StageOptions): { host: RefObject<HTMLDivElement | null>; state: StageState } {
  const host = useRef<HTMLDivElement | null>(null);
  const [state, setState] = useState<StageState>({ phase: "preparing" });

  useEffect(() => {
    const hostEl = host.current;
    if (!load || !hostEl) return;
    const el = createStageCanvas(size, canvasTestId);
    hostEl.replaceChildren(el);
    let cancelled = false;
    let client: RenderClient | null = null;
    setState({ phase: "preparing" });
    (async () => {
      const t0 = performance.now();
      const source = await load();
      const { rig, warnings = [] } = source;
      // A source video's loop is decoded once (already the rig's crop); the worker swaps its frames in.
      const frames = source.video ? await decodeLoopFrames(source.video.url, source.video.plan, size) : null;
      const framed = frames ? frames[0]! : await framePortrait(rig, source.portrait!, size);
      if (cancelled) return;
      // Where the mouth and the moving head are, in canvas pixels (captions, tests).
      const geometry = stageGeometry(rig, size);
      el.dataset.mouthBox = geometry.mouthBox.join(",");
      el.dataset.head = geometry.head.join(",");
      client = await RenderClient.create(el, { rig, portrait: framed, tier, video: frames && source.video ? { frames, plan: source.video.plan } : undefined, onTierChange: (t, reason) => setState((s) => (s.phase === "ready" ? { ...s, tier: t, fallbackReason: reason } : s)) });
      if (cancelled) return client.dispose();
      const sink = new RenderClientSink(client);
      setState({ phase: "ready", sink, rig, tier: client.tier, fallbackReason: client.fallbackReason, prepareMs: Math.round(performance.now() - t0), warnings });
    })().catch((err: { code?: string; message?: string }) => {
      if (!cancelled) setState({ phase: "error", code: err.code ?? "renderer_failed", message: err.message ?? String(err) });
    });
    return () => {
      cancelled = true;
      client?.dispose();
      hostEl.replaceChildren();
    };
  }, [load, size, canvasTestId, tier]);

  useEffect(() => {
    if (!testHooks || state.phase !== "ready") return;
    const sink = state.sink;
    return exposeTestHook("stage", {
      snapshot: async () => {
        const { width, height, t, rgba } = await sink.snapshot();
        return { t, tier: sink.tier, width, height, rgba: toBase64(rgba) };
      },
    });
  }, [testHooks, state]);

  return { host, state };
}
