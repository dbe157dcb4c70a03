import { describe, expect, it } from "vitest";
import reference from "./fixtures/log-mel-reference.json";
import { LogMelStream, frameCount, logMel } from "./log-mel";
import { melFilterbank } from "./mel-filterbank";

// same formula as training/visemes/make_fixture.py, rounded to float32 like real input
function testSignal(n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] =
      0.3 * Math.sin((2 * Math.PI * 440 * i) / 16000) +
      0.2 * Math.sin((2 * Math.PI * 3000 * i) / 16000 + 0.3) +
      0.1 * Math.sin((2 * Math.PI * (200 + (2000 * i) / 8000) * i) / 16000);
  }
  x.fill(0, 4000, 4800);
  return x;
}

describe("log-mel features", () => {
  it("match the numpy reference used by training", () => {
    const { data, frames } = logMel(testSignal(reference.samples));
    expect(frames).toBe(reference.frames);
    let worst = 0;
    for (let i = 0; i < data.length; i++) worst = Math.max(worst, Math.abs(data[i]! - reference.values[i]!));
    expect(worst).toBeLessThan(2e-3);
  });

  it("use the same mel filterbank as numpy", () => {
    const sums = melFilterbank().map((f) => f.weights.reduce((a, b) => a + b, 0));
    sums.forEach((s, i) => expect(s).toBeCloseTo(reference.filterbankRowSums[i]!, 4));
  });

  it("give the same frames streamed in odd chunks as in one call", () => {
    const x = testSignal(8000);
    const whole = logMel(x);
    const stream = new LogMelStream();
    const parts: Float32Array[] = [];
    for (let i = 0, step = 1; i < x.length; i += step, step = (step * 7 + 3) % 531) {
      parts.push(stream.push(x.subarray(i, Math.min(x.length, i + step))).data);
    }
    const joined = Float32Array.from(parts.flatMap((p) => Array.from(p)));
    expect(joined.length).toBe(whole.data.length);
    expect(Array.from(joined)).toEqual(Array.from(whole.data));
  });

  it("count frames like the python definition", () => {
    expect([0, 199, 200, 359, 360, 16000].map(frameCount)).toEqual([0, 0, 1, 1, 2, 99]);
  });
});
