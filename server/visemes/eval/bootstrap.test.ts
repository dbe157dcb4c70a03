import { describe, expect, it } from "vitest";
import { bootstrapAccuracy, type UtteranceScore } from "./bootstrap";

const utt = (group: string, frames: number, exact: number, coarse: number): UtteranceScore => ({ group, frames, exact, coarse });

describe("bootstrapAccuracy", () => {
  it("has no width when every utterance scores the same", () => {
    const scores = Array.from({ length: 20 }, (_, i) => utt(i % 2 ? "a" : "b", 100, 70, 85));
    const b = bootstrapAccuracy(scores, 500);
    expect(b.accuracy.low).toBeCloseTo(0.7, 12);
    expect(b.accuracy.high).toBeCloseTo(0.7, 12);
    expect(b.coarseAccuracy.low).toBeCloseTo(0.85, 12);
  });

  it("brackets the pooled figure, narrows with more utterances and repeats for a seed", () => {
    const spread = (n: number) => Array.from({ length: n }, (_, i) => utt(`v${i % 4}`, 200 + (i % 7) * 30, 100 + (i % 11) * 8, 150 + (i % 5) * 9));
    const few = spread(40);
    const pooled = few.reduce((a, s) => a + s.exact, 0) / few.reduce((a, s) => a + s.frames, 0);
    const a = bootstrapAccuracy(few, 1000, 3);
    expect(a.accuracy.low).toBeLessThan(pooled);
    expect(a.accuracy.high).toBeGreaterThan(pooled);
    expect(bootstrapAccuracy(few, 1000, 3)).toEqual(a);
    const many = bootstrapAccuracy(spread(400), 1000, 3);
    expect(many.accuracy.high - many.accuracy.low).toBeLessThan((a.accuracy.high - a.accuracy.low) * 0.6);
  });

  it("keeps each voice's share: a voice with one utterance is always drawn once", () => {
    // one perfect utterance in its own voice, the rest wrong: every resample holds exactly it
    const scores = [utt("solo", 100, 100, 100), ...Array.from({ length: 9 }, () => utt("rest", 100, 0, 0))];
    const b = bootstrapAccuracy(scores, 300);
    expect(b.accuracy.low).toBeCloseTo(0.1, 12);
    expect(b.accuracy.high).toBeCloseTo(0.1, 12);
  });

  it("returns an empty interval for no utterances", () => {
    expect(bootstrapAccuracy([])).toEqual({ accuracy: { low: 0, high: 0 }, coarseAccuracy: { low: 0, high: 0 } });
  });
});
