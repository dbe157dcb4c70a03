import { describe, expect, it } from "vitest";
import { blinkAt, gazeAt, idlePose } from "./idle";

function blinkStarts(seed: number, seconds: number): number[] {
  const starts: number[] = [];
  let prev = 0;
  for (let t = 0; t < seconds; t += 0.01) {
    const c = blinkAt(seed, t);
    if (c > 0.5 && prev <= 0.5) starts.push(t);
    prev = c;
  }
  return starts;
}

describe("idle motion", () => {
  it("blinks at human rates: 10-25 a minute, never two within 0.25 s except a double blink", () => {
    for (const seed of [1, 42, 0xdeadbeef]) {
      const starts = blinkStarts(seed, 120);
      expect(starts.length).toBeGreaterThanOrEqual(20);
      expect(starts.length).toBeLessThanOrEqual(50);
      const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
      expect(Math.max(...gaps)).toBeLessThan(8);
      expect(Math.min(...gaps)).toBeGreaterThan(0.25);
    }
  });

  it("is a pure function of seed and time, so server and browser agree frame by frame", () => {
    const a = Array.from({ length: 500 }, (_, i) => idlePose(7, { timeSec: i / 25, listening: 0 }));
    const b = Array.from({ length: 500 }, (_, i) => idlePose(7, { timeSec: i / 25, listening: 0 }));
    expect(a).toEqual(b);
    expect(blinkStarts(7, 60)).not.toEqual(blinkStarts(8, 60));
  });

  it("keeps sway subtle and tilts the head toward the listener when listening", () => {
    for (let i = 0; i < 1000; i++) {
      const p = idlePose(3, { timeSec: i / 10, listening: 0 });
      expect(Math.abs(p.roll)).toBeLessThan(0.02);
      expect(Math.abs(p.tx)).toBeLessThan(0.02);
      expect(Math.abs(p.ty)).toBeLessThan(0.02);
    }
    const calm = idlePose(3, { timeSec: 5, listening: 0 });
    const listening = idlePose(3, { timeSec: 5, listening: 1 });
    expect(listening.roll - calm.roll).toBeCloseTo(0.035, 5);
    expect(listening.scale).toBeGreaterThan(calm.scale);
  });

  it("shifts the gaze now and then: fixations held, quick saccades, bounded, stateless", () => {
    const xs: number[] = [];
    for (let i = 0; i < 6000; i++) {
      const [gx, gy] = gazeAt(11, i / 100, 0);
      expect(Math.abs(gx)).toBeLessThanOrEqual(1);
      expect(Math.abs(gy)).toBeLessThanOrEqual(0.5);
      xs.push(gx);
    }
    let shifts = 0;
    for (let i = 1; i < xs.length; i++) if (Math.abs(xs[i]! - xs[i - 1]!) > 1e-6) shifts++;
    // 60 s: a fixation every ~2.4 s, each saccade ~40 ms (4 steps of 10 ms): moving only ~2 % of the time.
    expect(shifts).toBeGreaterThan(40);
    expect(shifts).toBeLessThan(0.05 * xs.length);
    expect(new Set(xs.map((x) => x.toFixed(3))).size).toBeGreaterThan(15);
    expect(gazeAt(11, 17.3, 0)).toEqual(gazeAt(11, 17.3, 0));
    expect(idlePose(11, { timeSec: 17.3, listening: 0 }).gaze).toEqual(gazeAt(11, 17.3, 0));
  });
});
