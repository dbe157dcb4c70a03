"use client";

import { useEffect, useState, type RefObject } from "react";
import type { Rig } from "@/core/render/rig";
import { RenderClient, type RenderTier } from "@/workers/render/render-client";
import { RenderClientSink } from "./render-sink";
import { stageGeometry } from "./stage-geometry";

/** Output size of the demo canvas (the rig's crop is scaled to it). */
export const DEMO_SIZE = 512;

export type RendererState =
  | { phase: "preparing" }
  | { phase: "ready"; sink: RenderClientSink; rig: Rig; tier: RenderTier; fallbackReason?: string; prepareMs: number; warnings: string[] }
  | { phase: "error"; code: string; message: string };

/** A fresh canvas for one renderer: a canvas can hand its control to a worker only once. */
function createStageCanvas(): HTMLCanvasElement {
  const el = document.createElement("canvas");
  el.width = DEMO_SIZE;
  el.height = DEMO_SIZE;
  el.dataset.testid = "demo-canvas";
  Object.assign(el.style, { width: `${DEMO_SIZE}px`, height: `${DEMO_SIZE}px`, maxWidth: "100%", background: "#111", borderRadius: "8px", display: "block" });
  return el;
}

/**
 * Portrait → rig (the demo prepare route) → framed bitmap → render worker on a canvas inside
 * `host`. The canvas is created here, outside React's tree, because the render client owns it
 * (it transfers it to the worker and may swap it for a fresh one when leaving WebGPU).
 */
export function useAvatarRenderer(host: RefObject<HTMLDivElement | null>, portrait: Blob | null, tier: RenderTier | undefined): RendererState {
  const [state, setState] = useState<RendererState>({ phase: "preparing" });

  useEffect(() => {
    const hostEl = host.current;
    if (!portrait || !hostEl) return;
    const el = createStageCanvas();
    hostEl.replaceChildren(el);
    let cancelled = false;
    let client: RenderClient | null = null;
    let sink: RenderClientSink | null = null;
    setState({ phase: "preparing" });
    (async () => {
      const t0 = performance.now();
      const res = await fetch("/api/demo/prepare", { method: "POST", body: portrait, headers: { "content-type": portrait.type || "application/octet-stream" } });
      const body = (await res.json().catch(() => ({}))) as { rig?: Rig; warnings?: { message: string }[]; error?: string; code?: string };
      if (!res.ok || !body.rig) throw Object.assign(new Error(body.error ?? `prepare failed (${res.status})`), { code: body.code ?? "prepare_failed" });
      const rig = body.rig;
      const { x, y, size } = rig.crop;
      // The renderer wants the rig's crop at the output size, with the file's colours untouched.
      const framed = await createImageBitmap(portrait, x, y, size, size, {
        resizeWidth: DEMO_SIZE, resizeHeight: DEMO_SIZE, resizeQuality: "high", colorSpaceConversion: "none",
      });
      if (cancelled) return;
      // Where the mouth and the moving head are, in canvas pixels (captions, tests).
      const geometry = stageGeometry(rig, DEMO_SIZE);
      el.dataset.mouthBox = geometry.mouthBox.join(",");
      el.dataset.head = geometry.head.join(",");
      client = await RenderClient.create(el, { rig, portrait: framed, tier, onTierChange: (t, reason) => setState((s) => (s.phase === "ready" ? { ...s, tier: t, fallbackReason: reason } : s)) });
      if (cancelled) return client.dispose();
      sink = new RenderClientSink(client);
      sink.start();
      setState({
        phase: "ready", sink, rig, tier: client.tier, fallbackReason: client.fallbackReason,
        prepareMs: Math.round(performance.now() - t0), warnings: (body.warnings ?? []).map((w) => w.message),
      });
    })().catch((err: { code?: string; message?: string }) => {
      if (!cancelled) setState({ phase: "error", code: err.code ?? "renderer_failed", message: err.message ?? String(err) });
    });
    return () => {
      cancelled = true;
      sink?.stop();
      client?.dispose();
      hostEl.replaceChildren();
    };
  }, [host, portrait, tier]);

  return state;
}
