import { describe, expect, it } from "vitest";
import { readAvatarMux, type AvatarMuxEvent } from "@/packages/sdk/src";
import { streamTurn, type MouthFrameStream } from "./stream-turn";

/** The worker's contract: frames come out behind the audio by a lookahead, the rest on end(). */
function lagging(lookahead: number, fps = 100, sampleRate = 16_000): MouthFrameStream & { pushes: number } {
  let samples = 0;
  let emitted = 0;
  const frames = (upTo: number) => {
    const out = [];
    for (; emitted < upTo; emitted++) out.push({ index: emitted, mouth: { jawOpen: (emitted % 20) / 20, lipWidth: 0.1, pucker: 0, lipsPressed: 0, upperLipRaise: 0 }, viseme: emitted % 15 });
    return out;
  };
  return {
    fps,
    pushes: 0,
    async push(pcm) {
      this.pushes++;
      samples += pcm.length;
      return frames(Math.max(0, Math.floor((samples / sampleRate) * fps) - lookahead));
    },
    async end() {
      return frames(Math.ceil((samples / sampleRate) * fps));
    },
  };
}

describe("streamTurn", () => {
  it("interleaves audio and the motion known so far, and ends with every frame", async () => {
    const pcm = Float32Array.from({ length: 16_000 * 1.1 }, (_, i) => 0.3 * Math.sin(i / 7));
    const source = lagging(8);
    const events: AvatarMuxEvent[] = [];
    for await (const ev of readAvatarMux(streamTurn({ pcm, sampleRate: 16_000, mouth: source }))) events.push(ev);
    expect(source.pushes).toBe(7); // 200 ms at a time, then the silence that completes the last frame
    const motion = events.filter((e) => e.kind === "motion");
    expect(motion).toHaveLength(28); // 1.1 s at the turn's 25 fps, the last frame completed
    expect(motion.map((m) => (m.kind === "motion" ? m.frame : -1))).toEqual([...Array(28).keys()]);
    // Streaming: the first motion record comes after the first audio record, not after all audio.
    const firstMotion = events.findIndex((e) => e.kind === "motion");
    const lastAudio = events.map((e) => e.kind).lastIndexOf("audio");
    expect(firstMotion).toBeLessThan(lastAudio);
    expect(events.at(-1)).toEqual({ kind: "end", reason: "complete", totalSamples: 17_920 });
  });

  it("produces nothing until read: the model runs as the player pulls", async () => {
    const source = lagging(8);
    const stream = streamTurn({ pcm: new Float32Array(16_000), sampleRate: 16_000, mouth: source });
    await new Promise((r) => setTimeout(r, 10));
    expect(source.pushes).toBe(0);
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
  });
});
