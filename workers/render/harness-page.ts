import type { FrameInput } from "@/core/render/deform";
import type { Rig } from "@/core/render/rig";
import { RenderClient, type RenderTier } from "./render-client";

/** What the test and bench harness exposes on window once the renderer is up. */
export type RenderHarness = {
  tier: RenderTier;
  fallbackReason?: string;
  adapter?: string;
  /** Renders one frame and returns its RGBA pixels, base64. */
  render: (frame: FrameInput) => Promise<string>;
  bench: (frames: number) => Promise<number>;
};

declare global {
  interface Window {
    renderHarness?: RenderHarness;
    renderHarnessError?: string;
  }
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Starts a RenderClient on a page served with /rig.json, /portrait.png, /render-worker.js and /mesh.wgsl. */
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
  const client = await RenderClient.create(canvas, { rig, portrait, tier: tier ?? undefined, workerUrl, shaderUrl: "/mesh.wgsl" });
  window.renderHarness = {
    get tier() {
      return client.tier;
    },
    fallbackReason: client.fallbackReason,
    adapter: client.adapter,
    render: async (frame) => {
      await client.frameAndWait(frame.mouth, frame.idle);
      return toBase64((await client.snapshot()).rgba);
    },
    bench: (frames) => client.bench(frames),
  };
}

main().catch((e: unknown) => {
  window.renderHarnessError = e instanceof Error ? e.message : String(e);
});
