import { describe, expect, it } from "vitest";
import { EMOTIONS, EXPRESSION_BLEND_SEC, ExpressionBlend, emotionId, expressionOf, NEUTRAL_EXPRESSION } from "./expression";

describe("expressions", () => {
  it("knows seed 001's emotions and the contract's default, and treats unknown ones as neutral", () => {
    for (const e of ["happy", "neutral", "serious", "curious"]) expect(EMOTIONS).toContain(e);
    expect(emotionId("Happy ")).toBe(EMOTIONS.indexOf("happy"));
    expect(expressionOf("bewildered")).toEqual(NEUTRAL_EXPRESSION);
    expect(expressionOf(250)).toEqual(NEUTRAL_EXPRESSION);
    expect(expressionOf("happy").smile).toBeGreaterThan(0.5);
    expect(expressionOf("serious").browKnit).toBeGreaterThan(0.5);
    expect(expressionOf("curious").browRaise).toBeGreaterThan(0.2);
  });

  it("blends a change in over EXPRESSION_BLEND_SEC, from wherever the face is, never snapping", () => {
    const b = new ExpressionBlend("neutral");
    const smile: number[] = [];
    for (let i = 0; i <= 60; i++) {
      const t = i / 100;
      // happy from 0.1 s, serious from 0.25 s (mid-blend)
      smile.push(b.at(t < 0.1 ? "neutral" : t < 0.25 ? "happy" : "serious", t).smile);
    }
    expect(smile[10]).toBe(0);
    expect(smile[24]).toBeGreaterThan(0.3);
    expect(smile[24]).toBeLessThan(1);
    // Turning to serious starts from the half-smile, not from the happy target.
    expect(Math.abs(smile[25]! - smile[24]!)).toBeLessThan(0.05);
    expect(smile[60]).toBe(0);
    for (let i = 1; i < smile.length; i++) expect(Math.abs(smile[i]! - smile[i - 1]!)).toBeLessThan((1.5 / (EXPRESSION_BLEND_SEC * 100)) * 1.01);
  });

  it("is deterministic: the same calls give the same faces; a clock going back restarts at the target", () => {
    const run = () => {
      const b = new ExpressionBlend("curious");
      return [0, 0.1, 0.2, 0.5, 0.05].map((t, i) => b.at(i < 2 ? "curious" : "happy", t));
    };
    expect(run()).toEqual(run());
    expect(run()[4]).toEqual(expressionOf("happy"));
  });
});
