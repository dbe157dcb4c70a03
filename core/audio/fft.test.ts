import { describe, expect, it } from "vitest";
import { createFft, createRealPowerSpectrum } from "./fft";

describe("fft", () => {
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
