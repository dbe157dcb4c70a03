import { describe, expect, it } from "vitest";
import { Resampler, resample } from "./resampler";

const sine = (n: number, rate: number, hz: number) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rate));

describe("resampler", () => {
  it.each([8000, 22050, 44100, 48000, 96000])("turns a %i Hz sine into the same 16 kHz sine", (rate) => {
    const y = resample(sine(rate, rate, 1000), rate, 16000);
    expect(Math.abs(y.length - 16000)).toBeLessThanOrEqual(1);
    const ref = sine(16000, 16000, 1000);
    let worst = 0;
    for (let i = 400; i < 15600; i++) worst = Math.max(worst, Math.abs(y[i]! - ref[i]!));
    expect(worst).toBeLessThan(2e-3);
  });

  it("removes content above the new Nyquist frequency", () => {
    const y = resample(sine(48000, 48000, 12000), 48000, 16000);
    const rms = Math.sqrt(y.subarray(400, 15600).reduce((a, v) => a + v * v, 0) / 15200);
    expect(rms).toBeLessThan(0.01);
  });

  it("gives identical output streamed in uneven chunks", () => {
    const x = sine(44100, 44100, 300).map((v, i) => v * Math.cos(i / 900));
    const whole = resample(x, 44100, 16000);
    const r = new Resampler(44100, 16000);
    const out: number[] = [];
    for (let i = 0, step = 17; i < x.length; i += step, step = (step * 5 + 11) % 977) {
      out.push(...r.push(x.subarray(i, Math.min(x.length, i + step))));
    }
    out.push(...r.flush());
    expect(out).toEqual(Array.from(whole));
  });
});
