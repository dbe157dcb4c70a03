import { describe, expect, it } from "vitest";
import { blinkAt, idlePose } from "./idle";

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
});
