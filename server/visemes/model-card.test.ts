import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as ort from "onnxruntime-node";
import { VISEME_MODEL } from "@/core/visemes/model-spec";
import { loadEvalSet } from "./eval/eval-set";
import { AccuracyCounter } from "./eval/metrics";
import { measureOurs } from "./eval/ours";
import { visemeCardPath, visemeModelPath } from "./model-file";

// What CI checks instead of training: the shipped file is the one the card describes,
// and it still scores what the card says on the committed evaluation sample.
const card = JSON.parse(readFileSync(visemeCardPath(), "utf8")) as {
  sha256: string;
  bytes: number;
  params: number;
  spec: typeof VISEME_MODEL;
  onnxOps: Record<string, number>;
  metrics: { fixtureSample: { accuracy: number; coarseAccuracy: number; frames: number } };
};
// ops that onnxruntime-web's WASM and WebGPU providers and onnxruntime-node all implement
const PORTABLE_OPS = ["Add", "Concat", "Constant", "Conv", "Mul", "Relu", "Reshape", "Slice", "Softmax", "Sub", "Transpose"];

describe("visemes-v5 model and card", () => {
  it("file matches the card's sha256 and size, and is small", () => {
    const bytes = readFileSync(visemeModelPath());
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(card.sha256);
    expect(bytes.length).toBe(card.bytes);
    expect(card.params).toBeLessThanOrEqual(1_000_000);
  });

  it("card spec equals the engine's spec and uses only portable ops", async () => {
    expect(card.spec.caches).toEqual(VISEME_MODEL.caches.map((c) => [...c]));
    expect(card.spec.lookaheadFrames).toBe(VISEME_MODEL.lookaheadFrames);
    expect(card.spec.lookaheadFrames * 10 + 12.5).toBeLessThanOrEqual(80);
    expect(card.spec.silenceFeature).toBeCloseTo(VISEME_MODEL.silenceFeature, 9);
    expect(Object.keys(card.onnxOps).every((op) => PORTABLE_OPS.includes(op))).toBe(true);
    const session = await ort.InferenceSession.create(visemeModelPath());
    expect([...session.inputNames]).toEqual([...VISEME_MODEL.inputs]);
    expect([...session.outputNames]).toEqual([...VISEME_MODEL.outputs]);
  });

  it("scores the card's accuracy on the committed evaluation sample", async () => {
    const items = loadEvalSet("training/visemes/fixtures/eval");
    const { predictions } = await measureOurs(items);
    const acc = new AccuracyCounter();
    predictions.forEach((p, i) => acc.add(items[i]!.labels, p));
    expect(acc.frames).toBe(card.metrics.fixtureSample.frames);
    // 2 decimals: another CPU's kernels may flip the argmax of a few near-tie frames
    expect(acc.accuracy).toBeCloseTo(card.metrics.fixtureSample.accuracy, 2);
    expect(acc.coarseAccuracy).toBeCloseTo(card.metrics.fixtureSample.coarseAccuracy, 2);
  });
});
