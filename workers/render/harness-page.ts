import type { Rig } from "@/core/render/rig";
import { exposeTestHook } from "../test-hooks";
import type { LoopPlan } from "@/core/video/video-frames";
import { decodeLoopFrames } from "./decode-loop";
import { RenderClient, type RenderTier } from "./render-client";
import { renderProbe } from "./render-probe";

/**
 * Starts a RenderClient on a page served with /rig.json, /portrait.png and /render-worker.js (and,
 * with ?video=1, a source-video loop: /loop.mp4 and /loop.json); exposes window.__tic.render.
 */
async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const tier = params.get("tier") as RenderTier | null;
  // ?worker= lets a test point at a worker script that does not load.
  const workerUrl = params.get("worker") ?? "/render-worker.js";
  const rig = (await (await fetch("/rig.json")).json()) as Rig;
  let video: { frames: ImageBitmap[]; plan: LoopPlan } | undefined;
  if (params.get("video")) {
    const plan = (await (await fetch("/loop.json")).json()) as LoopPlan;
    video = { frames: await decodeLoopFrames("/loop.mp4", plan), plan };
  }
  const portrait = video ? video.frames[0]! : await createImageBitmap(await (await fetch("/portrait.png")).blob(), { colorSpaceConversion: "none", premultiplyAlpha: "none" });
  const canvas = document.createElement("canvas");
  canvas.dataset.testid = "avatar-canvas";
  document.body.append(canvas);
  const client = await RenderClient.create(canvas, { rig, portrait, tier: tier ?? undefined, workerUrl, video });
  exposeTestHook("render", renderProbe(client));
}

main().catch((e: unknown) => {
  exposeTestHook("renderError", e instanceof Error ? e.message : String(e));
});
