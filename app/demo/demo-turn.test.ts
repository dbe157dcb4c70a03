import { describe, expect, it } from "vitest";
import { readAvatarMux } from "@/packages/sdk/src";
import { buildDemoTurn, streamOf } from "./demo-turn";

describe("buildDemoTurn", () => {
  it("packs a clip and its 100 fps mouth track into a mux the SDK plays", async () => {
    const sampleRate = 16_000;
    const pcm = Float32Array.from({ length: sampleRate * 1.5 }, (_, i) => 0.5 * Math.sin(i / 10));
    const mouth = Array.from({ length: 150 }, (_, i) => ({ jawOpen: i / 150, lipWidth: 0.2, pucker: 0, lipsPressed: 0, upperLipRaise: 2 }));
    const { parts, totalSamples, frames } = buildDemoTurn({ pcm, sampleRate, track: { fps: 100, mouth } });
    expect(totalSamples).toBe(24_000);
    expect(frames).toBe(75);
    const events = [];
    for await (const ev of readAvatarMux(streamOf(parts))) events.push(ev);
    const motion = events.flatMap((e) => (e.kind === "motion" ? [e] : []));
    expect(motion).toHaveLength(75);
    // Frame 25 of the 50 fps mux is at 0.5 s: source frame 50 of the 100 fps track.
    expect(motion[25]!.mouth.jawOpen).toBeCloseTo(50 / 150, 4);
    expect(motion[25]!.mouth.upperLipRaise).toBe(1); // clamped, not rejected
    expect(events.at(-1)).toEqual({ kind: "end", reason: "complete", totalSamples: 24_000 });
  });
});
