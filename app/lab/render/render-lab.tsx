"use client";

import { useEffect, useRef, useState } from "react";
import type { FrameInput } from "@/core/render/deform";
import { RESTING_MOUTH } from "@/core/render/mouth";
import type { Rig } from "@/core/render/rig";
import { RenderClient, type RenderTier } from "@/workers/render/render-client";

/** What Playwright reads and drives on this page. */
export type RenderLabApi = {
  tier: RenderTier;
  fallbackReason?: string;
  /** Renders one frame and returns its RGBA pixels, base64. */
  render: (frame: FrameInput) => Promise<string>;
  bench: (frames: number) => Promise<number>;
};

declare global {
  interface Window {
    renderLab?: RenderLabApi;
  }
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const TIERS: RenderTier[] = ["webgpu", "canvas2d", "server"];

/** Renders the demo portrait with the tier from ?tier= (or the best available) and animates a vowel loop. */
export function RenderLab() {
  const host = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<{ tier?: RenderTier; reason?: string; error?: string }>({});

  useEffect(() => {
    // A fresh canvas per effect run: control of a canvas transfers to a worker only once, and
    // React may run this effect twice (StrictMode) or again after a cleanup.
    const el = document.createElement("canvas");
    el.dataset.testid = "avatar-canvas";
    el.style.width = el.style.height = "512px";
    host.current?.append(el);
    const wanted = new URLSearchParams(location.search).get("tier");
    const tier = TIERS.find((t) => t === wanted);
    let client: RenderClient | null = null;
    let raf = 0;
    let stopped = false;
    (async () => {
      const rig = (await (await fetch("/demo/astronaut.rig.json")).json()) as Rig;
      // The fixture's crop is the whole 512 px picture, so the file is already the framed texture.
      const blob = await (await fetch("/demo/astronaut.png")).blob();
      const portrait = await createImageBitmap(blob, { colorSpaceConversion: "none", premultiplyAlpha: "none" });
      client = await RenderClient.create(el, { rig, portrait, tier, onTierChange: (t, reason) => setStatus({ tier: t, reason }) });
      if (stopped) return client.dispose();
      const c = client;
      setStatus({ tier: c.tier, reason: c.fallbackReason });
      window.renderLab = {
        get tier() {
          return c.tier;
        },
        fallbackReason: c.fallbackReason,
        render: async (frame) => {
          cancelAnimationFrame(raf);
          await c.frameAndWait(frame.mouth, frame.idle);
          return toBase64((await c.snapshot()).rgba);
        },
        bench: (frames) => c.bench(frames),
      };
      const t0 = performance.now();
      const tick = () => {
        const t = (performance.now() - t0) / 1000;
        c.frame({ ...RESTING_MOUTH, jawOpen: Math.max(0, Math.sin(t * 5)) * 0.8, lipWidth: 0.3 }, { timeSec: t, listening: 0 });
        raf = requestAnimationFrame(tick);
      };
      if (c.tier !== "server") raf = requestAnimationFrame(tick);
    })().catch((e: unknown) => setStatus({ error: e instanceof Error ? e.message : String(e) }));
    return () => {
      stopped = true;
      cancelAnimationFrame(raf);
      client?.dispose();
      el.remove();
      delete window.renderLab;
    };
  }, []);

  return (
    <section>
      <p>
        Tier: <strong data-testid="render-tier">{status.tier ?? (status.error ? "error" : "starting")}</strong>
        {status.reason ? <span data-testid="render-fallback-reason"> ({status.reason})</span> : null}
        {status.error ? <span data-testid="render-error"> {status.error}</span> : null}
      </p>
      <div ref={host} />
    </section>
  );
}
