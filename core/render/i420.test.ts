import { describe, expect, it } from "vitest";
import { I420Frame } from "./i420";

function solid(size: number, rgb: [number, number, number]): Uint8Array {
  const a = new Uint8Array(size * size * 4);
  for (let i = 0; i < a.length; i += 4) a.set([...rgb, 255], i);
  return a;
}

describe("I420Frame", () => {
  it("uses BT.601 limited range (what ffmpeg assumes for untagged SD video)", () => {
    const f = new I420Frame(4);
    const yuv = (rgb: [number, number, number]) => {
      f.update(solid(4, rgb));
      return [f.data[0], f.data[16], f.data[20]];
    };
    expect(yuv([255, 255, 255])).toEqual([235, 128, 128]);
    expect(yuv([0, 0, 0])).toEqual([16, 128, 128]);
    expect(yuv([255, 0, 0])).toEqual([82, 90, 240]);
  });

  it("updates only inside the changed rectangle (widened to whole chroma blocks)", () => {
    const f = new I420Frame(8);
    f.update(solid(8, [0, 0, 0]));
    f.update(solid(8, [255, 255, 255]), [3, 3, 5, 5]);
    const Y = (x: number, y: number) => f.data[y * 8 + x];
    expect(Y(2, 2)).toBe(235);
    expect(Y(5, 5)).toBe(235);
    expect(Y(1, 1)).toBe(16);
    expect(Y(6, 6)).toBe(16);
  });
});
