import { describe, expect, it } from "vitest";
import { cavityPalette, type Rgb } from "./mouth-palette";

const sat = (c: Rgb) => (Math.max(...c) === 0 ? 0 : (Math.max(...c) - Math.min(...c)) / Math.max(...c));
const chroma = (c: Rgb) => Math.max(...c) - Math.min(...c);

describe("cavity palette", () => {
  it("is grey for a grey portrait: no colour the portrait does not have", () => {
    for (const g of [0.1, 0.45, 0.9]) {
      const p = cavityPalette({ lip: [g, g, g], skin: [g * 1.2, g * 1.2, g * 1.2].map((v) => Math.min(1, v)) as Rgb });
      for (const c of Object.values(p)) expect(chroma(c)).toBeLessThan(1e-9);
    }
  });

  it("takes its hue from the lips and is never more saturated than the lips or the skin", () => {
    const lip: Rgb = [0.2, 0.55, 0.3]; // a green-tinted portrait
    const skin: Rgb = [0.5, 0.7, 0.55];
    const p = cavityPalette({ lip, skin });
    for (const c of [p.throat, p.throatEdge, p.tongue]) {
      expect(c[1]).toBeGreaterThan(c[0]);
      expect(c[1]).toBeGreaterThan(c[2]);
    }
    for (const c of Object.values(p)) expect(sat(c)).toBeLessThanOrEqual(Math.max(sat(lip), sat(skin)) + 1e-9);
    expect(Math.min(...p.teeth)).toBeGreaterThan(Math.max(...p.throat)); // teeth are the light part
  });
});
