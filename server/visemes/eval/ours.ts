import "server-only";
import { analyzeVisemes, VisemeStream, type VisemeFrame } from "@/core/visemes/engine";
import type { VisemeName } from "@/core/visemes/visemes";
import { loadNodeVisemeRunner } from "../node-runner";
import type { EvalItem } from "./eval-set";

const CHUNK_SECONDS = 0.1;

function toPredictions(frames: VisemeFrame[], count: number): VisemeName[] {
  const out: VisemeName[] = new Array(count).fill("sil");
  for (const f of frames) if (f.index < count) out[f.index] = f.viseme;
  return out;
}

/** Streams every item through the engine in 100 ms pushes; CPU time of the whole process. */
export async function measureOurs(items: EvalItem[], modelPath?: string) {
  const runner = await loadNodeVisemeRunner(modelPath);
  // warm-up outside the measurement (session kernels, JIT)
  const warm = new VisemeStream(runner, 16000);
  await warm.push(new Float32Array(16000));
  await warm.end();
  const predictions: VisemeName[][] = [];
  let cpuMs = 0;
  for (const it of items) {
    const c0 = process.cpuUsage();
    const s = new VisemeStream(runner, it.sampleRate);
    const frames: VisemeFrame[] = [];
    const step = Math.round(it.sampleRate * CHUNK_SECONDS);
    for (let i = 0; i < it.samples.length; i += step) frames.push(...(await s.push(it.samples.subarray(i, i + step))));
    frames.push(...(await s.end()));
    const c = process.cpuUsage(c0);
    cpuMs += (c.user + c.system) / 1000;
    predictions.push(toPredictions(frames, it.labels.length));
  }
  // the offline path: each item as one whole file
  const c0 = process.cpuUsage();
  for (const it of items) await analyzeVisemes(runner, it.samples, it.sampleRate);
  const c = process.cpuUsage(c0);
  return { predictions, cpuMs, wholeFileCpuMs: (c.user + c.system) / 1000 };
}

/**
 * Pushes 10 ms chunks as a live source would and reports how much audio had
 * gone in, plus the compute time of that push, when frame 0 came out.
 */
export async function firstFrameLatency(item: EvalItem, modelPath?: string) {
  const runner = await loadNodeVisemeRunner(modelPath);
  const s = new VisemeStream(runner, item.sampleRate);
  const step = Math.round(item.sampleRate * 0.01);
  for (let i = 0; i < item.samples.length; i += step) {
    const t0 = performance.now();
    const frames = await s.push(item.samples.subarray(i, i + step));
    const computeMs = performance.now() - t0;
    if (frames.some((f) => f.index === 0)) {
      const audioMs = (1000 * Math.min(item.samples.length, i + step)) / item.sampleRate;
      return { audioMs, computeMs, totalMs: audioMs + computeMs };
    }
  }
  throw new Error("no frame before the end of the first item");
}
