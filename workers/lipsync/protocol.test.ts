import { describe, expect, it } from "vitest";
import { requestSchema, unpackFrames } from "./protocol";

describe("lipsync worker protocol", () => {
  it("fills init defaults: WASM, our own /ort/ files, the shipped model", () => {
    expect(requestSchema.parse({ type: "init", id: 1 })).toEqual({
      type: "init", id: 1, modelUrl: "/models/visemes-v5.onnx", ep: "wasm", wasmPaths: "/ort/", threads: 1,
    });
  });

  it("rejects what the worker cannot serve", () => {
    for (const bad of [
      { type: "push", id: 2, stream: "a", pcm: [0.1, 0.2] }, // not a Float32Array: no transfer, no copy-free path
      { type: "open", id: 3, stream: "a", sampleRate: 44100.5 },
      { type: "open", id: 4, stream: "a", sampleRate: 1000 },
      { type: "init", id: 5, ep: "webgl" },
      { type: "nope", id: 6 },
      { type: "end", id: -1, stream: "a" },
    ]) {
      expect(requestSchema.safeParse(bad).success).toBe(false);
    }
  });

  it("unpacks transferred frames into indexed frames with mouth parameters", () => {
    const probs = new Float32Array(30);
    probs[10] = 1; // frame 7: aa
    probs[15 + 14] = 1; // frame 8: U
    const mouth = Float32Array.from([0.8, 0.3, 0, 0, 0.1, 0.2, 0, 1, 0, 0]);
    const frames = unpackFrames({ first: 7, count: 2, probs, mouth });
    expect(frames.map((f) => [f.index, f.t, f.viseme])).toEqual([[7, 0.07, "aa"], [8, 0.08, "U"]]);
    expect(frames[1]!.mouth).toEqual({ jawOpen: expect.closeTo(0.2, 6), lipWidth: 0, pucker: 1, lipsPressed: 0, upperLipRaise: 0 });
  });
});
