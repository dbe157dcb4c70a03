// The turn's record generator with the real TTS (espeak-ng) and viseme model: a turn never outlives
// its reservation — audio stops at the reserved length, on a frame boundary, with an error record.
import { describe, expect, it } from "vitest";
import { decodeMux, type AudioRecord, type MuxRecord } from "@/core/mux";
import { speakText } from "./speech-source";
import { ttsProvider, visemeRunner } from "./engine";
import { turnRecords, type TurnChunk } from "./turn-records";

process.env.AUTH_SECRET ??= "test-secret-at-least-16-chars";

async function run(text: string, maxMicros: number): Promise<{ records: MuxRecord[]; chunks: TurnChunk[] }> {
  const abort = new AbortController();
  const chunks: TurnChunk[] = [];
  for await (const c of turnRecords({
    avatarId: "ava_test",
    manifestId: null,
    manifestVersion: 0,
    fps: 25,
    runner: await visemeRunner(),
    speech: speakText(ttsProvider(), text, { language: "en", speed: 1, emotion: "neutral" }, abort.signal),
    frames: null,
    maxMicros,
    lowLatencyFirstChunk: false,
    playoutDelayMs: 2000,
    maxBufferDelayMs: 120,
    signal: abort.signal,
  })) chunks.push(c);
  const bytes = Buffer.concat(chunks.map((c) => Buffer.from(c.bytes)));
  return { records: decodeMux(new Uint8Array(bytes)), chunks };
}

describe("turnRecords", () => {
  it("cuts the turn at the reserved length on a frame boundary and says why", async () => {
    const { records, chunks } = await run("This sentence is much longer than the single second this turn has reserved for it.", 1_000_000);
    const samples = records.filter((r): r is AudioRecord => r.kind === "audio").reduce((n, r) => n + r.samples.length, 0);
    expect(samples).toBe(22_050); // 1 s at espeak-ng's 22 050 Hz = 25 frames of 882 samples
    expect(records.filter((r) => r.kind === "motion")).toHaveLength(25);
    expect(records.at(-2)).toMatchObject({ kind: "error", code: "turn_duration_limit" });
    expect(records.at(-1)).toMatchObject({ kind: "end", reason: "error", totalSamples: 22_050 });
    expect(chunks.at(-1)!.samples).toBe(22_050);
  });
});
