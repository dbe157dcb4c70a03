import { VISEME_FPS } from "@/core/visemes/engine";
import { VISEMES } from "@/core/visemes/visemes";
import { LipsyncClient } from "@/workers/lipsync/client";
import type { MouthFrameStream } from "./stream-turn";

/** Where the worker and its files come from on pages not built by Next (the widget); the first caller's choice holds for the page. */
export type LipsyncSource = { spawn: () => Worker; modelUrl: string; wasmPaths: string };

let shared: Promise<LipsyncClient> | null = null;
let started: LipsyncClient | null = null;
let streams = 0;

async function start(source?: LipsyncSource): Promise<LipsyncClient> {
  const worker = source ? source.spawn() : new Worker(new URL("../../workers/lipsync/worker.ts", import.meta.url), { type: "module" });
  const client = new LipsyncClient(worker);
  try {
    // WASM, not WebGPU: measured faster on every device we test on, and it leaves the GPU to the renderer.
    await client.init({ ep: "wasm", ...(source && { modelUrl: source.modelUrl, wasmPaths: source.wasmPaths }) });
  } catch (error) {
    client.terminate();
    throw error;
  }
  started = client;
  return client;
}

/** The lipsync worker, started once per page and warmed up (model load + first run) in the background. */
export function lipsyncWorker(source?: LipsyncSource): Promise<LipsyncClient> {
  // A worker that crashed since rejects every call: the next caller gets a fresh one.
  if (started?.failure) [shared, started] = [null, null];
  if (!shared) {
    const starting = start(source);
    starting.catch(() => shared === starting && (shared = null));
    shared = starting;
  }
  return shared;
}

/** A streaming viseme analysis in the worker: push PCM chunks, get mouth frames (VISEME_FPS per second). */
export async function openMouthStream(sampleRate: number, source?: LipsyncSource): Promise<MouthFrameStream> {
  const client = await lipsyncWorker(source);
  const id = `stage-${++streams}`;
  await client.open(id, sampleRate);
  const convert = (frames: Awaited<ReturnType<LipsyncClient["push"]>>) =>
    frames.map((f) => ({ index: f.index, mouth: f.mouth, viseme: VISEMES.indexOf(f.viseme) }));
  return {
    fps: VISEME_FPS,
    push: async (pcm) => convert(await client.push(id, pcm)),
    end: async () => convert(await client.end(id)),
  };
}
