import { describe, expect, it } from "vitest";
import { RESTING_MOUTH } from "./mouth";
import { mouthForFrame } from "./mouth-track";

const at = (jawOpen: number, lipsPressed = 0) => ({ ...RESTING_MOUTH, jawOpen, lipsPressed });

describe("mouthForFrame", () => {
  it("averages the frame's display interval", () => {
    const track = Array.from({ length: 100 }, (_, i) => at(i < 50 ? 0 : 1));
    expect(mouthForFrame(track, 100, 0.2, 25).jawOpen).toBe(0);
    expect(mouthForFrame(track, 100, 0.8, 25).jawOpen).toBe(1);
    // 25 fps frame at t=0.5 s covers 0.48..0.52 s: half closed, half open.
    expect(mouthForFrame(track, 100, 0.5, 25).jawOpen).toBeCloseTo(0.5, 5);
  });

  it("keeps a short lip closure that averaging would hide", () => {
    const track = Array.from({ length: 100 }, (_, i) => at(0.6, i === 41 ? 1 : 0));
    expect(mouthForFrame(track, 100, 0.4, 25).lipsPressed).toBe(1);
    expect(mouthForFrame(track, 100, 0.6, 25).lipsPressed).toBe(0);
  });

  it("rests before the track and holds its last shape after it", () => {
    expect(mouthForFrame([], 100, 1, 25)).toEqual(RESTING_MOUTH);
    expect(mouthForFrame([at(0.3)], 100, 5, 25).jawOpen).toBeCloseTo(0.3, 6);
  });
});
