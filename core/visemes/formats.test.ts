import { describe, expect, it } from "vitest";
import { MouthSmoother } from "./mouth-params";
import type { VisemeFrame } from "./engine";
import { toFpsTrack, toRhubarb, toTsv } from "./formats";
import { VISEMES, type VisemeName } from "./visemes";

// a track as the engine would give it: sil, then "m-a-u" with a 2-frame flicker, then sil
function track(names: VisemeName[]): VisemeFrame[] {
  const mouth = new MouthSmoother();
  return names.map((v, index) => {
    const probs = new Float32Array(15).fill(0.02);
    probs[VISEMES.indexOf(v)] = 0.72;
    return { index, t: index / 100, viseme: v, probs, mouth: mouth.next(probs) };
  });
}
const names: VisemeName[] = [
  ...Array<VisemeName>(20).fill("sil"), ...Array<VisemeName>(8).fill("PP"), ...Array<VisemeName>(15).fill("aa"),
  "SS", "SS", ...Array<VisemeName>(15).fill("aa"), ...Array<VisemeName>(12).fill("U"), ...Array<VisemeName>(29).fill("sil"),
];
const frames = track(names);
const seconds = 1.0;

describe("output formats", () => {
  it("json: exactly N frames per second from t = 0 with 15 weights", () => {
    for (const fps of [100, 30, 24, 60]) {
      const j = toFpsTrack(frames, seconds, fps);
      expect(j.fps).toBe(fps);
      expect(j.visemes).toEqual([...VISEMES]);
      expect(j.frames.length).toBe(fps);
      j.frames.forEach((f, i) => {
        expect(f.t).toBeCloseTo(i / fps, 6);
        expect(f.weights).toHaveLength(15);
        expect(f.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
        expect(VISEMES).toContain(f.viseme);
      });
    }
    const j = toFpsTrack(frames, seconds, 100);
    expect(j.frames.map((f) => f.viseme)).toEqual(names.slice(0, 100));
  });

  it("tsv: a header and one row of 17 columns per frame", () => {
    const lines = toTsv(toFpsTrack(frames, seconds, 50)).trimEnd().split("\n");
    expect(lines[0]!.split("\t")).toEqual(["t", "viseme", ...VISEMES]);
    expect(lines).toHaveLength(51);
    expect(lines[1]!.split("\t")).toHaveLength(17);
  });

  it("rhubarb: contiguous A-H/X cues covering the audio, flicker merged", () => {
    const r = toRhubarb(frames, seconds, "x.wav");
    expect(r.metadata).toEqual({ soundFile: "x.wav", duration: 1 });
    expect(r.mouthCues[0]).toEqual({ start: 0, end: 0.2, value: "X" });
    expect(r.mouthCues.map((c) => c.value)).toEqual(["X", "A", "D", "F", "X"]);
    r.mouthCues.forEach((c, i) => {
      expect("ABCDEFGHX").toContain(c.value);
      if (i > 0) expect(c.start).toBe(r.mouthCues[i - 1]!.end);
    });
    expect(r.mouthCues.at(-1)!.end).toBe(1);
  });

  it("handles no frames (empty or sub-frame audio)", () => {
    expect(toFpsTrack([], 0, 100).frames).toEqual([]);
    expect(toRhubarb([], 0, "e.wav").mouthCues).toEqual([]);
    expect(toFpsTrack([], 0.05, 100).frames.every((f) => f.viseme === "sil")).toBe(true);
  });
});

describe("mouth parameters", () => {
  it("stay in 0..1, glide instead of snapping, and close the lips for PP", () => {
    const m = frames.map((f) => f.mouth);
    for (const p of m) for (const v of Object.values(p)) expect(v >= 0 && v <= 1).toBe(true);
    for (let i = 1; i < m.length; i++) expect(Math.abs(m[i]!.jawOpen - m[i - 1]!.jawOpen)).toBeLessThan(0.25);
    const pp = m.slice(20, 28).map((p) => p.lipsPressed);
    expect(Math.max(...pp)).toBeGreaterThan(0.6);
    expect(Math.max(...m.slice(30, 43).map((p) => p.jawOpen))).toBeGreaterThan(0.5);
    expect(Math.max(...m.slice(60, 72).map((p) => p.pucker))).toBeGreaterThan(0.55);
    expect(m.at(-1)!.jawOpen).toBeLessThan(0.1); // the blend of the 2% residual probabilities
  });
});
