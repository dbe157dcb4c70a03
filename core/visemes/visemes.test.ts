import { describe, expect, it } from "vitest";
import { COARSE_OF, VISEMES, argmaxRow, pickViseme } from "./visemes";

const probs = (entries: Partial<Record<(typeof VISEMES)[number], number>>) => VISEMES.map((v) => entries[v] ?? 0);

describe("pickViseme", () => {
  it("takes the group with the most total probability before the single largest viseme", () => {
    // aa alone is the largest, but the consonant group holds more in total
    const p = probs({ aa: 0.3, DD: 0.2, SS: 0.2, nn: 0.2, sil: 0.1 });
    expect(VISEMES[argmaxRow(Float32Array.from(p), 0)]).toBe("aa");
    const v = VISEMES[pickViseme(p)]!;
    expect(COARSE_OF[v]).toBe("consonant");
    expect(["DD", "SS", "nn"]).toContain(v);
  });

  it("agrees with argmax when one viseme dominates", () => {
    for (let i = 0; i < VISEMES.length; i++) {
      const p = VISEMES.map((_, j) => (j === i ? 0.9 : 0.1 / 14));
      expect(pickViseme(p)).toBe(i);
    }
  });

  it("reads a row at an offset of a packed array", () => {
    const row = probs({ O: 0.6, U: 0.3, aa: 0.1 });
    const packed = Float32Array.from([...probs({ sil: 1 }), ...row]);
    expect(VISEMES[pickViseme(packed, VISEMES.length)]).toBe("O");
  });
});
