import { describe, expect, it } from "vitest";
import { floatToPcm16, pcm16ToFloat } from "./pcm16";

describe("pcm16", () => {
  it("gives back every 16-bit sample through floats, so all tiers feed the model the same audio", () => {
    const all = Int16Array.from({ length: 65_536 }, (_, i) => i - 32_768);
    expect(floatToPcm16(pcm16ToFloat(all))).toEqual(all);
  });

  it("clips out-of-range floats and treats non-finite ones as silence", () => {
    expect([...floatToPcm16(Float32Array.from([2, -2, Number.NaN, Number.POSITIVE_INFINITY, 0.5]))]).toEqual([32_767, -32_768, 0, 0, 16_384]);
  });
});
