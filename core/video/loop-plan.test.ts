import { describe, expect, it } from "vitest";
import { loopFrameAt, planLoop, type AnalysedFrame } from "./loop-plan";

// Synthetic clips: a thumbnail whose brightness follows `level(i)`, so frame similarity is known.
const clip = (n: number, level: (i: number) => number, open: (i: number) => number = () => 0.02): AnalysedFrame[] =>
  Array.from({ length: n }, (_, i) => ({ thumb: new Uint8Array(64).fill(Math.round(level(i))), pose: [1, 0, 0.001 * i, 0], mouthOpen: open(i) }));
const settings = { fps: 10, size: 256, minLoopSec: 2, maxLoopSec: 4 };

describe("planLoop", () => {
  it("finds the segment whose end returns to its start (a cut loop whose seam is an ordinary step)", () => {
    // A slow breath, period 3 s at 10 fps: a 3 s loop ends where it began.
    const frames = clip(60, (i) => 120 + 40 * Math.sin((2 * Math.PI * i) / 30));
    const p = planLoop(frames, 10, settings);
    expect(p.loop.mode).toBe("cut");
    expect(p.loop.seamDiff).toBeLessThanOrEqual(p.loop.frameDiffP95);
    expect(p.loop.endFrame - p.loop.startFrame + 1).toBeGreaterThanOrEqual(20);
    expect(p.rigTrack).toHaveLength(p.loop.endFrame - p.loop.startFrame + 1);
    expect(p.loop.frames).toBe(p.rigTrack.length);
  });

  it("plays forward and back where no segment returns to its start (a steady drift)", () => {
    const p = planLoop(clip(50, (i) => 40 + 3 * i), 10, settings);
    expect(p.loop.mode).toBe("pingpong");
    const n = p.rigTrack.length;
    expect(p.loop.frames).toBe(2 * n - 2);
    const order = Array.from({ length: 2 * p.loop.frames }, (_, k) => loopFrameAt(p, k));
    // Every step of the ping-pong is one frame: never a jump.
    for (let k = 1; k < order.length; k++) expect(Math.abs(order[k]! - order[k - 1]!)).toBe(1);
  });

  it("resamples to the output fps, marks closed-mouth frames, and honours and checks loop bounds", () => {
    const frames = clip(40, (i) => 100 + (i % 7), (i) => (i < 20 ? 0.02 : 0.3));
    const p = planLoop(frames, 10, { ...settings, fps: 5, loopStartSec: 1, loopEndSec: 3 });
    expect(p.loop).toMatchObject({ startFrame: 10, endFrame: 29, startSec: 1, endSec: 3 });
    expect(p.rigTrack).toHaveLength(10);
    expect(p.mouthClosed).toEqual([true, true, true, true, true, false, false, false, false, false]);
    expect(() => planLoop(frames, 10, { ...settings, loopStartSec: 3.95, loopEndSec: 4 })).toThrow(RangeError);
  });
});
