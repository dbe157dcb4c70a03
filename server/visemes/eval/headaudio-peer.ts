import "server-only";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Processor } from "@met4citizen/headaudio/modules/processor.mjs";
import { Training } from "@met4citizen/headaudio/modules/training.mjs";
import * as PARAMS from "@met4citizen/headaudio/modules/parameters.mjs";
import type { VisemeName } from "@/core/visemes/visemes";

// HeadAudio's class order (headaudio.mjs visemeNames); 14 is silence.
const ORDER: VisemeName[] = ["aa", "E", "I", "O", "U", "PP", "SS", "TH", "DD", "FF", "kk", "nn", "RR", "CH", "sil"];
const BLOCK = 128; // an AudioWorklet render quantum

function loadModel(): Record<string, unknown>[] {
  const dir = dirname(createRequire(import.meta.url).resolve("@met4citizen/headaudio/modules/processor.mjs"));
  const bytes = readFileSync(join(dir, "../dist/model-en-mixed.bin"));
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const t = new Training();
  const model: Record<string, unknown>[] = [];
  for (let pos = 0; pos + PARAMS.RECORD_OFFSET <= buffer.byteLength; pos += PARAMS.RECORD_OFFSET) {
    model.push(t.decodeBinaryRecord(new Float32Array(buffer, pos, PARAMS.RECORD_LEN)));
  }
  return model;
}

let model: Record<string, unknown>[] | null = null;

/**
 * Runs HeadAudio's own processor (MFCC + Gaussian prototypes, shipped English
 * model, default VAD) in Node, as its AudioWorklet would, and samples its
 * viseme state every 10 ms. Events are placed at the centre of HeadAudio's
 * analysis window (the time it reports), which favours it on latency.
 */
export function runHeadAudio(samples: Float32Array, sampleRate: number, frames: number): VisemeName[] {
  model ??= loadModel();
  const events: { t: number; v: VisemeName }[] = [];
  const port = {
    onmessage: null,
    postMessage: (m: unknown) => {
      const e = m as { event: string; viseme?: number | null; t: number };
      if (e.event === "viseme" && typeof e.viseme === "number") events.push({ t: e.t, v: ORDER[e.viseme]! });
      else if (e.event === "ended") events.push({ t: e.t, v: "sil" });
    },
  };
  const p = new Processor({ sampleRate, processorOptions: {}, parameterData: {} }, { port });
  p._onmessage({ data: { event: "model", model, reset: true } });
  for (let i = 0; i < samples.length; i += BLOCK) p.process(samples.subarray(i, Math.min(samples.length, i + BLOCK)));
  const out: VisemeName[] = [];
  let e = 0;
  let cur: VisemeName = "sil";
  for (let k = 0; k < frames; k++) {
    while (e < events.length && events[e]!.t <= k / 100) cur = events[e++]!.v;
    out.push(cur);
  }
  return out;
}
