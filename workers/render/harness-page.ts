import type { Rig } from "@/core/render/rig";
import { exposeTestHook } from "../test-hooks";
import { RenderClient, type RenderTier } from "./render-client";
import { renderProbe } from "./render-probe";

/** Starts a RenderClient on a page served with /rig.json, /portrait.png and /render-worker.js; exposes window.__tic.render. */
async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const tier = params.get("tier") as RenderTier | null;
  // ?worker= lets a test point at a worker script that does not load.
  const workerUrl = params.get("worker") ?? "/render-worker.js";
  const rig = (await (await fetch("/rig.json")).json()) as Rig;
  const blob = await (await fetch("/portrait.png")).blob();
  const portrait = await createImageBitmap(blob, { colorSpaceConversion: "none", premultiplyAlpha: "none" });
  const canvas = document.createElement("canvas");
  canvas.dataset.testid = "avatar-canvas";
  document.body.append(canvas);
  const client = await RenderClient.create(canvas, { rig, portrait, tier: tier ?? undefined, workerUrl });
  exposeTestHook("render", renderProbe(client));
}

main().catch((e: unknown) => {
  exposeTestHook("renderError", e instanceof Error ? e.message : String(e));
});
