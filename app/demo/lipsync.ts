import { VISEME_FPS } from "@/core/visemes/engine";
import { VISEMES } from "@/core/visemes/visemes";
import { LipsyncClient } from "@/workers/lipsync/client";
import type { MouthTrack } from "./demo-turn";

let shared: Promise<LipsyncClient> | null = null;

/** The lipsync worker, started once per page and warmed up (model load + first run) in the background. */
export function lipsyncWorker(): Promise<LipsyncClient> {
  shared ??= (async () => {
    const worker = new Worker(new URL("../../workers/lipsync/worker.ts", import.meta.url), { type: "module" });
    const client = new LipsyncClient(worker);
    // WASM, not WebGPU: measured faster on every device we test on, and it leaves the GPU to the renderer.
    await client.init({ ep: "wasm" });
    return client;
  })();
  shared.catch(() => (shared = null));
  return shared;
}

/** Mouth track of a clip: the viseme model's frames (VISEME_FPS per second) as mouth parameters. */
export async function analyzeClip(pcm: Float32Array<ArrayBuffer>, sampleRate: number): Promise<MouthTrack & { computeMs: number }> {
  const client = await lipsyncWorker();
  // analyze() transfers the buffer to the worker; keep ours for playback.
  const { frames, computeMs } = await client.analyze(pcm.slice(), sampleRate);
  return {
    fps: VISEME_FPS,
    mouth: frames.map((f) => f.mouth),
    visemes: frames.map((f) => VISEMES.indexOf(f.viseme)),
    computeMs,
  };
}
