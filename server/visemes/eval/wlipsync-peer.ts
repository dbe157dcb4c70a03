import "server-only";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { VISEMES, type VisemeName } from "@/core/visemes/visemes";
import type { EvalItem } from "./eval-set";

/**
 * wLipSync (uLipSync's MFCC matching) driven through its own wasm, as its
 * AudioWorklet does: a 1024-sample window at 16 kHz, MFCC, nearest profile
 * entry. wLipSync ships no profile, so one is calibrated the uLipSync way
 * from our *training* audio: MFCC samples per viseme (15 entries).
 */
const SAMPLE_COUNT = 1024;
const MEL_CHANNELS = 30;
const DATA_COUNT = 64;
const MIN_LOG_VOLUME = -2.5; // wLipSync's default silence gate (log10 RMS)

type Wasm = {
  load_profile: (rate: number, count: number, mel: number, cmp: number, n: number, data: number, std: number) => number;
  precompute_profile: () => void;
  set_input: (rate: number) => void;
  get_input_buffer: () => number;
  get_input_buffer_size: () => number;
  get_volume_ptr: () => number;
  execute: (index: number) => number;
  mfccOut: WebAssembly.Global;
};

export type WlipsyncConfig = { compareMethod: 0 | 1 | 2; standardize: boolean; gate: boolean };

async function instantiate(): Promise<{ z: Wasm; memory: WebAssembly.Memory }> {
  const memory = new WebAssembly.Memory({ initial: 4 });
  const path = createRequire(import.meta.url).resolve("wlipsync/wlipsync.wasm");
  const { instance } = await WebAssembly.instantiate(readFileSync(path), { env: { memory } });
  return { z: instance.exports as unknown as Wasm, memory };
}

/** Feeds audio through the wasm ring buffer, calling `each(frameIndex, best)` every 10 ms. */
function drive(z: Wasm, memory: WebAssembly.Memory, samples: Float32Array, each: (k: number, best: number, logVol: number) => void) {
  z.set_input(16000);
  const size = z.get_input_buffer_size();
  const buf = new Float32Array(memory.buffer, z.get_input_buffer(), size);
  buf.fill(0);
  const vol = new Float32Array(memory.buffer, z.get_volume_ptr(), 1);
  let idx = 0;
  for (let n = 0; n < samples.length; n++) {
    buf[idx] = samples[n]!;
    idx = (idx + 1) % size;
    if ((n + 1) % 160 === 0) {
      const best = z.execute(idx);
      // the decision describes the window centre, SAMPLE_COUNT/2 behind the newest sample
      const k = Math.round((n + 1 - SAMPLE_COUNT / 2) / 160);
      each(k, best, Math.log10(Math.max(vol[0]!, 1e-12)));
    }
  }
}

/** Calibrates a 15-entry profile on labelled training audio; returns a runner. */
export async function calibrateWlipsync(calib: EvalItem[], cfg: WlipsyncConfig, seed = 1) {
  const { z, memory } = await instantiate();
  // wLipSync computes min(entries, 12) coefficients, so calibrate with 15 entries loaded
  z.load_profile(16000, SAMPLE_COUNT, MEL_CHANNELS, cfg.compareMethod, VISEMES.length, 1, cfg.standardize ? 1 : 0);
  z.precompute_profile();
  const pools: number[][][] = VISEMES.map(() => []);
  for (const item of calib) {
    drive(z, memory, item.samples, (k) => {
      const l = item.labels[k];
      if (l) pools[VISEMES.indexOf(l)]!.push(Array.from(new Float32Array(memory.buffer, z.mfccOut.value as number, 12)));
    });
  }
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const raw = new Float32Array(memory.buffer, z.load_profile(16000, SAMPLE_COUNT, MEL_CHANNELS, cfg.compareMethod, VISEMES.length, DATA_COUNT, cfg.standardize ? 1 : 0), VISEMES.length * DATA_COUNT * 12);
  pools.forEach((pool, v) => {
    for (let d = 0; d < DATA_COUNT; d++) {
      const vec = pool.length ? pool[Math.floor(rand() * pool.length)]! : new Array(12).fill(0);
      raw.set(vec, (v * DATA_COUNT + d) * 12);
    }
  });
  z.precompute_profile();
  return (samples: Float32Array, frames: number): VisemeName[] => {
    const out: VisemeName[] = new Array(frames).fill("sil");
    let last: VisemeName = "sil";
    drive(z, memory, samples, (k, best, logVol) => {
      last = cfg.gate && logVol <= MIN_LOG_VOLUME ? "sil" : VISEMES[best]!;
      if (k >= 0 && k < frames) out[k] = last;
    });
    // frames after the last decision hold it (the worklet keeps its last weights)
    for (let k = Math.max(0, Math.round((samples.length - SAMPLE_COUNT / 2) / 160) + 1); k < frames; k++) out[k] = last;
    return out;
  };
}
