import { describe, expect, it } from "vitest";
import { MuxReader, MuxStream, readMux, type MuxRecord } from "./index";

const header = { sampleRate: 16_000, fps: 25, width: 0, height: 0, videoCodec: "none" as const, avatarId: "ava_s", manifestId: null, manifestVersion: 1 };
const mouth = { jawOpen: 0.5, lipWidth: 0.2, pucker: 0, lipsPressed: 0, upperLipRaise: 0 };

/** A producer like the turn route: 200 ms audio chunks, their frames, usage. Stops when told. */
async function produce(stream: MuxStream, chunks: number): Promise<number> {
  let frame = 0;
  await stream.state("speaking", 0);
  for (let c = 0; c < chunks; c++) {
    if (!(await stream.audio(new Int16Array(3_200).fill(c)))) return c;
    for (let k = 0; k < 5; k++) if (!(await stream.motion(frame++, mouth))) return c;
    await stream.usage();
  }
  await stream.state("idle");
  await stream.end();
  return chunks;
}

describe("MuxStream", () => {
  it("streams a whole turn the reader accepts, counting every sample as delivered", async () => {
    const stream = new MuxStream(header);
    const producing = produce(stream, 10);
    const records: MuxRecord[] = [];
    for await (const r of readMux(stream.readable)) records.push(r);
    expect(await producing).toBe(10);
    expect(records.at(-1)).toEqual({ kind: "end", reason: "complete", totalSamples: 32_000 });
    expect(records.filter((r) => r.kind === "motion")).toHaveLength(50);
    expect(stream.deliveredSamples).toBe(32_000);
    expect(stream.deliveredMicros).toBe(2_000_000);
  });

  it("holds the producer back when the consumer does not read", async () => {
    const stream = new MuxStream(header, { maxBufferedBytes: 16 * 1024 });
    let done = false;
    void produce(stream, 50).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    expect(stream.position).toBeLessThanOrEqual(3_200 * 3); // ~6.4 KB per chunk, 16 KiB allowed ahead
    expect(stream.deliveredSamples).toBe(0);
    await stream.readable.cancel("test over");
  });

  it("after a disconnect, stops the producer and bills only what was read", async () => {
    const stream = new MuxStream(header, { maxBufferedBytes: 8 * 1024 });
    const producing = produce(stream, 50);
    const reader = stream.readable.getReader();
    let audioSeen = 0;
    const records: MuxRecord[] = [];
    const decoder = new MuxReader();
    while (audioSeen < 3) {
      const { value } = await reader.read();
      for (const r of decoder.push(value!)) {
        records.push(r);
        if (r.kind === "audio") audioSeen++;
      }
    }
    await reader.cancel("client went away");
    const stoppedAt = await producing;
    expect(stoppedAt).toBeLessThan(50);
    expect(stream.cancelled).toBe(true);
    // Delivered = the audio in records the client took, not what the producer generated.
    expect(stream.deliveredSamples).toBe(3 * 3_200);
    expect(stream.position).toBeGreaterThanOrEqual(stream.deliveredSamples);
    expect(await stream.audio(new Int16Array(10))).toBe(false);
  });

  it("ends a failed turn with an error record and end(error)", async () => {
    const stream = new MuxStream(header);
    const writing = (async () => {
      await stream.audio(new Int16Array(1_600));
      await stream.fail("tts_failed", "speech provider stopped", true);
    })();
    const records: MuxRecord[] = [];
    for await (const r of readMux(stream.readable)) records.push(r);
    await writing;
    expect(records.slice(-2)).toEqual([
      { kind: "error", code: "tts_failed", message: "speech provider stopped", retryable: true },
      { kind: "end", reason: "error", totalSamples: 1_600 },
    ]);
  });
});
