import { describe, expect, it } from "vitest";
import { FLOATS_PER_VERTEX } from "../render/model";
import { fitSimilarity, interpolateTrack, smoothTrack, transformVertices, type Similarity } from "./similarity";

const apply = ([a, b, tx, ty]: Similarity, [x, y]: [number, number]): [number, number] => [a * x - b * y + tx, b * x + a * y + ty];

describe("similarity track", () => {
  it("fits the rotation, scale and shift that moved a face's points, and maps position, uv and anchor alike", () => {
    const truth: Similarity = [1.02 * Math.cos(0.05), 1.02 * Math.sin(0.05), 0.013, -0.021];
    const from: [number, number][] = [[0.4, 0.3], [0.6, 0.31], [0.5, 0.45], [0.45, 0.6], [0.55, 0.6]];
    const fit = fitSimilarity(from, from.map((p) => apply(truth, p)));
    fit.forEach((v, k) => expect(v).toBeCloseTo(truth[k]!, 9));
    const v = new Float32Array(FLOATS_PER_VERTEX).fill(0.5);
    transformVertices(v, truth);
    const [x, y] = apply(truth, [0.5, 0.5]);
    for (const k of [0, 2, 8]) expect([v[k], v[k + 1]].map((n) => Math.round(n! * 1e5))).toEqual([x, y].map((n) => Math.round(n * 1e5)));
    expect(v[4]).toBe(0.5); // shading attributes are left alone
  });

  it("is the identity for degenerate input", () => {
    expect(fitSimilarity([[0.5, 0.5]], [[0.6, 0.6]])).toEqual([1, 0, 0, 0]);
    expect(fitSimilarity([[0.5, 0.5], [0.5, 0.5]], [[0.6, 0.6], [0.7, 0.7]])).toEqual([1, 0, 0, 0]);
  });

  it("smooths landmark jitter and fills untracked frames between tracked ones", () => {
    const jitter = Array.from({ length: 50 }, (_, i): Similarity => [1, 0, 0.01 * Math.sin(i / 8) + (i % 2 ? 0.003 : -0.003), 0]);
    const step = (t: Similarity[]) => Math.max(...t.slice(1).map((s, i) => Math.abs(s[2] - t[i]![2])));
    expect(step(smoothTrack(jitter, 1.5))).toBeLessThan(step(jitter) / 4);
    expect(interpolateTrack([[1, 0, 0, 0], null, null, [1, 0, 0.3, 0]])[1]![2]).toBeCloseTo(0.1, 9);
    expect(interpolateTrack([null, [1, 0, 0.2, 0]])[0]).toEqual([1, 0, 0.2, 0]);
  });
});
