import { describe, expect, it } from "vitest";
import { createFft, createRealPowerSpectrum } from "./fft";

function naiveDft(re: Float64Array, im: Float64Array) {
  const n = re.length;
  const outR = new Float64Array(n);
  const outI = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * k * t) / n;
      outR[k] = outR[k]! + re[t]! * Math.cos(a) - im[t]! * Math.sin(a);
      outI[k] = outI[k]! + re[t]! * Math.sin(a) + im[t]! * Math.cos(a);
    }
  }
  return [outR, outI] as const;
}

describe("fft", () => {
  it.each([2, 4, 8, 16, 64, 256])("matches a direct DFT at %i points", (n) => {
    const re = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) + ((i * 31) % 7) / 7);
    const im = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 1.3) - ((i * 17) % 5) / 5);
    const [wantR, wantI] = naiveDft(re, im);
    createFft(n)(re, im);
    for (let k = 0; k < n; k++) {
      expect(re[k]).toBeCloseTo(wantR[k]!, 9);
      expect(im[k]).toBeCloseTo(wantI[k]!, 9);
    }
  });

  it("rejects sizes that are not powers of two", () => {
    expect(() => createFft(12)).toThrow(RangeError);
  });

  it("real power spectrum equals the full complex FFT's", () => {
    const n = 512;
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + 0.5 * Math.cos(i * 1.91) + ((i * 7919) % 13) / 13);
    const re = x.slice();
    const im = new Float64Array(n);
    createFft(n)(re, im);
    const power = new Float64Array(n / 2 + 1);
    createRealPowerSpectrum(n)(x, power);
    for (let k = 0; k <= n / 2; k++) expect(power[k]).toBeCloseTo(re[k]! ** 2 + im[k]! ** 2, 6);
  });
});
