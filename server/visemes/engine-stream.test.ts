import { readdirSync, readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeVisemes, VisemeStream, type VisemeFrame } from "@/core/visemes/engine";
import { resample } from "@/core/audio/resampler";
import { frameCount } from "@/core/audio/log-mel";
import { decodeWav } from "@/server/media/wav";
import { loadNodeVisemeRunner } from "./node-runner";

const DIR = "training/visemes/fixtures/eval";
// the longest sample: most frames, most transitions
const first = readdirSync(DIR).filter((f) => f.endsWith(".wav")).sort((a, b) => statSync(`${DIR}/${b}`).size - statSync(`${DIR}/${a}`).size)[0]!;
const speech = decodeWav(readFileSync(`${DIR}/${first}`));

async function streamed(pcm: Float32Array, rate: number, chunkSizes: number[]) {
  const s = new VisemeStream(await loadNodeVisemeRunner(), rate);
  const frames: VisemeFrame[] = [];
  for (let i = 0, c = 0; i < pcm.length; c++) {
    const n = chunkSizes[c % chunkSizes.length]!;
    frames.push(...(await s.push(pcm.subarray(i, i + n))));
    i += n;
  }
  frames.push(...(await s.end()));
  return frames;
}

function expectSame(a: VisemeFrame[], b: VisemeFrame[]) {
  expect(a.map((f) => f.index)).toEqual(b.map((f) => f.index));
  let worst = 0;
  a.forEach((f, i) => f.probs.forEach((p, j) => (worst = Math.max(worst, Math.abs(p - b[i]!.probs[j]!)))));
  expect(worst).toBeLessThan(1e-4);
  expect(a.map((f) => f.viseme)).toEqual(b.map((f) => f.viseme));
  a.forEach((f, i) => expect(f.mouth.jawOpen).toBeCloseTo(b[i]!.mouth.jawOpen, 4));
}

describe("viseme engine: streaming equals whole file", () => {
  it("at 16 kHz, pushed in uneven chunks (1 sample to 0.3 s)", async () => {
    const whole = await analyzeVisemes(await loadNodeVisemeRunner(), speech.samples, 16000);
    expect(whole.frames.length).toBe(frameCount(speech.samples.length));
    expect(whole.frames.map((f) => f.index)).toEqual(whole.frames.map((_, i) => i));
    expectSame(await streamed(speech.samples, 16000, [1, 160, 4799, 37, 1600, 333]), whole.frames);
  });

  it("at 44.1 kHz through the resampler, pushed in 128-sample render quanta", async () => {
    const x = resample(speech.samples, 16000, 44100);
    const whole = await analyzeVisemes(await loadNodeVisemeRunner(), x, 44100);
    expectSame(await streamed(x, 44100, [128]), whole.frames);
  });

  it("emits each frame once its 72.5 ms of lookahead audio is in", async () => {
    const s = new VisemeStream(await loadNodeVisemeRunner(), 16000);
    let pushed = 0;
    for (; pushed < 16000; pushed += 160) {
      const out = await s.push(speech.samples.subarray(pushed, pushed + 160));
      for (const f of out) expect((pushed + 160) / 16 - f.t * 1000).toBeGreaterThanOrEqual(72.5);
      if (out.length) {
        expect((pushed + 160) / 16).toBeLessThanOrEqual(80); // first frame after 80 ms of audio at 10 ms pushes
        break;
      }
    }
  });
});
