"use client";

import { useEffect, useState, type RefObject } from "react";
import type { Rig } from "@/core/render/rig";
import { RenderClient, type RenderTier } from "@/workers/render/render-client";
import { RenderClientSink } from "./render-sink";

/** Output size of the demo canvas (the rig's crop is scaled to it). */
export const DEMO_SIZE = 512;

export type RendererState =
  | { phase: "preparing" }
  | { phase: "ready"; sink: RenderClientSink; rig: Rig; tier: RenderTier; fallbackReason?: string; prepareMs: number; warnings: string[] }
  | { phase: "error"; code: string; message: string };

/** Portrait → rig (the demo prepare route) → framed bitmap → render worker on the canvas. */
export function useAvatarRenderer(canvas: RefObject<HTMLCanvasElement | null>, portrait: Blob | null, tier: RenderTier | undefined): RendererState {
  const [state, setState] = useState<RendererState>({ phase: "preparing" });

  useEffect(() => {
    if (!portrait || !canvas.current) return;
    const el = canvas.current;
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
    };
  }, [canvas, portrait, tier]);

  return state;
}
