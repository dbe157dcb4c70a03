import { describe, expect, it } from "vitest";
import { RESTING_MOUTH } from "@/core/render/mouth";
import { emotionId, NEUTRAL_EXPRESSION, NO_GESTURE } from "@/core/render/expression";
import { MouthTimeline } from "./mouth-timeline";

const open = (jawOpen: number) => ({ ...RESTING_MOUTH, jawOpen });
const T0 = 1_700_000_000_000; // wall clock, ms

describe("MouthTimeline", () => {
  it("shows each key once its time has come on the synced clock, the newest due one", () => {
    const tl = new MouthTimeline(T0);
    tl.push([{ t: 0.0, mouth: open(0.1) }, { t: 0.02, mouth: open(0.2) }, { t: 0.04, mouth: open(0.3) }], { t: 0, wallMs: T0 });
    expect(tl.frameAt(T0 + 5)).toMatchObject({ t: 0, input: { mouth: open(0.1), idle: { timeSec: 0.005 } } });
    expect(tl.frameAt(T0 + 41)).toMatchObject({ t: 0.04, input: { mouth: open(0.3) } });
    // No new key: the last shape holds while the idle clock runs on.
    expect(tl.frameAt(T0 + 1000)).toMatchObject({ t: 0.04, input: { mouth: open(0.3), idle: { timeSec: 1 } } });
  });

  it("follows the clock sync each drawn key carries (the audio clock while speaking)", () => {
    const tl = new MouthTimeline(T0);
    tl.push([{ t: 2.5, mouth: open(0.7) }], { t: 2.5, wallMs: T0 + 100 });
    expect(tl.frameAt(T0 + 150)).toMatchObject({ t: 2.5, input: { mouth: open(0.7), idle: { timeSec: 2.55 } } });
  });

  it("keys earlier than the queue start a new turn's timeline", () => {
    const tl = new MouthTimeline(T0);
    tl.push([{ t: 3.0, mouth: open(0.9) }], { t: 3.0, wallMs: T0 });
    tl.frameAt(T0);
    tl.push([{ t: 0, mouth: open(0.4) }, { t: 0.5, mouth: open(0.6) }], { t: 0, wallMs: T0 + 10 });
    expect(tl.frameAt(T0 + 20)).toMatchObject({ t: 0, input: { mouth: open(0.4) } });
  });

  it("rests the mouth at once when the avatar goes idle, dropping queued keys", () => {
    const tl = new MouthTimeline(T0);
    tl.push([{ t: 0, mouth: open(0.8) }, { t: 0.5, mouth: open(0.8) }], { t: 0, wallMs: T0 });
    tl.frameAt(T0);
    tl.rest(T0 + 100);
    const f = tl.frameAt(T0 + 600);
    expect(f.input.mouth).toEqual(RESTING_MOUTH);
    expect(f.t).toBeCloseTo(0.1, 6);
  });

  it("eases into the listening pose over time, the same at any frame rate", () => {
    const ease = (stepMs: number) => {
      const tl = new MouthTimeline(T0);
      tl.setListening(true);
      let l = 0;
      for (let ms = 0; ms <= 500; ms += stepMs) l = tl.frameAt(T0 + ms).input.idle.listening;
      return l;
    };
    expect(ease(1000 / 60)).toBeGreaterThan(0.9);
    expect(ease(1000 / 60)).toBeLessThan(1);
    expect(Math.abs(ease(1000 / 30) - ease(1000 / 120))).toBeLessThan(0.02);
  });

  it("reports t = -1 before any key, idle motion from the start", () => {
    const tl = new MouthTimeline(T0);
    expect(tl.frameAt(T0 + 250)).toEqual({
      t: -1,
      input: { mouth: RESTING_MOUTH, idle: { timeSec: 0.25, listening: 0 }, face: { expression: NEUTRAL_EXPRESSION, gesture: NO_GESTURE } },
    });
  });

  it("blends the keys' emotion in over a few hundred ms and out again at rest, passing gestures through", () => {
    const tl = new MouthTimeline(T0);
    const happy = { emotion: emotionId("happy"), brow: 0.5, nod: 0.25 };
    tl.push(Array.from({ length: 40 }, (_, i) => ({ t: i / 25, mouth: RESTING_MOUTH, face: happy })), { t: 0, wallMs: T0 });
    const smiles: number[] = [];
    for (let ms = 0; ms <= 600; ms += 1000 / 60) smiles.push(tl.frameAt(T0 + ms).input.face!.expression.smile);
    expect(smiles[0]).toBeLessThan(0.05);
    expect(smiles.at(-1)).toBeCloseTo(1, 5);
    // Never a snap: at 60 Hz no frame moves more than a tenth of the way.
    for (let i = 1; i < smiles.length; i++) expect(Math.abs(smiles[i]! - smiles[i - 1]!)).toBeLessThan(0.1);
    expect(tl.frameAt(T0 + 620).input.face!.gesture).toEqual({ brow: 0.5, nod: 0.25 });
    tl.rest(T0 + 700);
    const out = [700, 800, 900, 1100].map((ms) => tl.frameAt(T0 + ms).input.face!.expression.smile);
    expect(out[0]).toBeGreaterThan(0.95);
    expect(out[1]).toBeLessThan(out[0]!);
    expect(out[3]).toBeCloseTo(0, 5);
  });
});
