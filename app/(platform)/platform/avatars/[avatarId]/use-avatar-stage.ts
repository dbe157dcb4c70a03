"use client";

import { useEffect, useState, type RefObject } from "react";
import type { Rig } from "@/core/render/rig";
import { RenderClientSink } from "@/app/demo/render-sink";
import { stageGeometry } from "@/app/demo/stage-geometry";
import { RenderClient, type RenderTier } from "@/workers/render/render-client";

/** Canvas size of the avatar stage. */
export const STAGE_SIZE = 384;

export type StageState =
  | { phase: "loading" }
  | { phase: "ready"; sink: RenderClientSink; tier: RenderTier; fallbackReason?: string }
  | { phase: "error"; message: string };

/**
 * The avatar's prepared rig (from the dashboard's session route) drawn by the render worker on a
 * canvas inside `host`: WebGPU where available, the CPU rasteriser otherwise. The canvas lives
 * outside React's tree because the render client transfers it to the worker.
 */
export function useAvatarStage(host: RefObject<HTMLDivElement | null>, avatarId: string): StageState {
  const [state, setState] = useState<StageState>({ phase: "loading" });
  useEffect(() => {
    const hostEl = host.current;
    if (!hostEl) return;
    const el = document.createElement("canvas");
    el.width = STAGE_SIZE;
    el.height = STAGE_SIZE;
    el.dataset.testid = "speak-canvas";
    Object.assign(el.style, { width: `${STAGE_SIZE}px`, height: `${STAGE_SIZE}px`, maxWidth: "100%", background: "#111", borderRadius: "8px", display: "block" });
    hostEl.replaceChildren(el);
    let cancelled = false;
    let client: RenderClient | null = null;
    let sink: RenderClientSink | null = null;
    (async () => {
      const res = await fetch(`/api/platform/avatars/${encodeURIComponent(avatarId)}/rig`, { cache: "no-store" });
      const body = (await res.json()) as { rig?: Rig; portraitUrl?: string; error?: string };
      if (!res.ok || !body.rig || !body.portraitUrl) throw new Error(body.error ?? `could not load the avatar (${res.status})`);
      const portrait = await (await fetch(body.portraitUrl)).blob();
      const { x, y, size } = body.rig.crop;
      const framed = await createImageBitmap(portrait, x, y, size, size, { resizeWidth: STAGE_SIZE, resizeHeight: STAGE_SIZE, resizeQuality: "high", colorSpaceConversion: "none" });
      if (cancelled) return;
      const geometry = stageGeometry(body.rig, STAGE_SIZE);
      el.dataset.mouthBox = geometry.mouthBox.join(",");
      el.dataset.head = geometry.head.join(",");
      client = await RenderClient.create(el, { rig: body.rig, portrait: framed, onTierChange: (tier, reason) => setState((s) => (s.phase === "ready" ? { ...s, tier, fallbackReason: reason } : s)) });
      if (cancelled) return client.dispose();
      sink = new RenderClientSink(client);
      sink.start();
      setState({ phase: "ready", sink, tier: client.tier, fallbackReason: client.fallbackReason });
    })().catch((err: Error) => {
      if (!cancelled) setState({ phase: "error", message: err.message });
    });
    return () => {
      cancelled = true;
      sink?.stop();
      client?.dispose();
      hostEl.replaceChildren();
    };
  }, [host, avatarId]);
  return state;
}
