"use client";

import { useEffect, useRef, useState } from "react";
import { RESTING_MOUTH } from "@/core/render/mouth";
import type { Rig } from "@/core/render/rig";
import { RenderClient, wallMs, type MouthKey, type RenderTier } from "@/workers/render/render-client";
import { renderProbe } from "@/workers/render/render-probe";
import { exposeTestHook } from "@/workers/test-hooks";

const TIERS: RenderTier[] = ["webgpu", "canvas2d", "server"];
/** Keys per second of the vowel loop, and how far ahead each batch reaches. */
const KEY_FPS = 25;
const BATCH_SEC = 1;

/** The next second of a vowel loop, as mouth keys stamped on the avatar clock. */
function vowelKeys(from: number): MouthKey[] {
  return Array.from({ length: KEY_FPS * BATCH_SEC }, (_, i) => {
    const t = from + i / KEY_FPS;
    return { t, mouth: { ...RESTING_MOUTH, jawOpen: Math.max(0, Math.sin(t * 5)) * 0.8, lipWidth: 0.3 } };
  });
}

/**
 * Renders the demo portrait with the tier from ?tier= (or the best available) and animates a vowel
 * loop: a batch of timestamped keys each second, drawn by the worker's own loop. Playwright drives
 * it through window.__tic.render (exact frames, then the loop holds).
 */
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
    let timer: ReturnType<typeof setInterval> | undefined;
    let unhook = () => {};
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
      unhook = exposeTestHook("render", renderProbe(c));
      if (c.tier === "server") return;
      // Keys reach one batch past the next timer tick, so a late tick never leaves the loop without any.
      let next = 0;
      const feed = () => {
        c.mouth(vowelKeys(next), next === 0 ? { t: 0, wallMs: wallMs() } : undefined);
        next += BATCH_SEC;
      };
      feed();
      feed();
      timer = setInterval(feed, BATCH_SEC * 1000);
    })().catch((e: unknown) => setStatus({ error: e instanceof Error ? e.message : String(e) }));
    return () => {
      stopped = true;
      clearInterval(timer);
      unhook();
      client?.dispose();
      el.remove();
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
