import { describe, expect, it } from "vitest";
import { floatToPcm16 } from "./pcm16";
import { isSupportedInputRate, SpeechRateConverter } from "./speech-rate";

const tone = (seconds: number, rate: number, hz: number) =>
  floatToPcm16(Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate)));

function convert(pcm: Int16Array, rate: number, step: number): Float32Array {
  const c = new SpeechRateConverter(rate);
  const parts: Float32Array[] = [];
  for (let i = 0; i < pcm.length; i += step) parts.push(c.push(pcm.subarray(i, i + step)));
  parts.push(c.flush());
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe("SpeechRateConverter", () => {
  it.each([8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000])("turns one second of a %i Hz stream into one second at 16 kHz with the same tone", (rate) => {
    const y = convert(tone(1, rate, 440), rate, 333);
    expect(Math.abs(y.length - 16000)).toBeLessThanOrEqual(1);
    // Same pitch: count rising zero crossings in the settled middle (440 Hz over 0.9 s ≈ 396).
    let crossings = 0;
    for (let i = 800; i < 15200; i++) if (y[i - 1]! < 0 && y[i]! >= 0) crossings++;
    expect(crossings).toBeGreaterThanOrEqual(394);
    expect(crossings).toBeLessThanOrEqual(398);
    const peak = y.subarray(800, 15200).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(peak).toBeGreaterThan(0.48);
    expect(peak).toBeLessThan(0.52);
  });

  it("refuses rates outside 8–48 kHz and non-integers", () => {
    for (const rate of [0, 7999, 48001, 96000, 16000.5]) {
      expect(isSupportedInputRate(rate)).toBe(false);
      expect(() => new SpeechRateConverter(rate)).toThrow(RangeError);
    }
  });
});
