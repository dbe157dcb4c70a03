import { describe, expect, it } from "vitest";
import { concatBytes, MuxReader, muxStream, MuxWriter, readMux, type MuxChunk, type MuxRecord, type MuxStreamEnd } from "./index";

const header = { sampleRate: 16_000, fps: 25, width: 0, height: 0, videoCodec: "none" as const, avatarId: "ava_s", manifestId: null, manifestVersion: 1 };
const mouth = { jawOpen: 0.5, lipWidth: 0.2, pucker: 0, lipsPressed: 0, upperLipRaise: 0 };

/** A producer like a turn's records: 200 ms audio chunks with their frames and usage; counts what it made. */
function produce(chunks: number, made = { chunks: 0 }, failAt = -1) {
  const w = new MuxWriter(header);
  async function* records(): AsyncGenerator<MuxChunk> {
    let frame = 0;
    yield { bytes: concatBytes([w.start(), w.state("speaking", 0)]), samples: 0, sampleRate: 16_000 };
    for (let c = 0; c < chunks; c++) {
      if (c === failAt) throw new Error("speech provider stopped");
      made.chunks++;
      const parts = [w.audio(new Int16Array(3_200).fill(c))];
      for (let k = 0; k < 5; k++) parts.push(w.motion(frame++, mouth));
      parts.push(w.usage());
      yield { bytes: concatBytes(parts), samples: w.position, sampleRate: 16_000 };
    }
    yield { bytes: concatBytes([w.state("idle"), w.end()]), samples: w.position, sampleRate: 16_000 };
  }
  return records();
}

function ends() {
  const seen: MuxStreamEnd[] = [];
  return { seen, onEnd: async (end: MuxStreamEnd) => void seen.push(end) };
}

describe("muxStream", () => {
  it("streams a whole turn the reader accepts, ending once with every sample", async () => {
    const end = ends();
    const records: MuxRecord[] = [];
    for await (const r of readMux(muxStream(produce(10), { abort: new AbortController(), onEnd: end.onEnd }))) records.push(r);
    expect(records.at(-1)).toEqual({ kind: "end", reason: "complete", totalSamples: 32_000 });
    expect(records.filter((r) => r.kind === "motion")).toHaveLength(50);
    expect(end.seen).toEqual([{ samples: 32_000, sampleRate: 16_000, reason: "complete" }]);
  });

  it("produces nothing the reader has not asked for", async () => {
    const made = { chunks: 0 };
    const body = muxStream(produce(50, made), { abort: new AbortController() });
    await new Promise((r) => setTimeout(r, 20));
    expect(made.chunks).toBe(0);
    const reader = body.getReader();
    await reader.read();
    await reader.read();
    expect(made.chunks).toBe(1);
    await reader.cancel("test over");
  });

  it("after a disconnect, stops the producer and ends on only what was read", async () => {
    const made = { chunks: 0 };
    const end = ends();
    const abort = new AbortController();
    const reader = muxStream(produce(50, made), { abort, onEnd: end.onEnd }).getReader();
    const decoder = new MuxReader();
    let audioSeen = 0;
    while (audioSeen < 3) for (const r of decoder.push((await reader.read()).value!)) if (r.kind === "audio") audioSeen++;
    await reader.cancel("client went away");
    expect(abort.signal.aborted).toBe(true);
    expect(made.chunks).toBe(3);
    expect(end.seen).toEqual([{ samples: 3 * 3_200, sampleRate: 16_000, reason: "cancelled" }]);
  });

  it("ends a body whose records fail after streaming began, telling onError", async () => {
    const end = ends();
    const errors: string[] = [];
    const reader = muxStream(produce(5, undefined, 2), { abort: new AbortController(), onEnd: end.onEnd, onError: (_e, what) => errors.push(what) }).getReader();
    await reader.read();
    await reader.read();
    await reader.read();
    await expect(reader.read()).rejects.toThrow("speech provider stopped");
    expect(errors).toEqual(["stream failed after streaming began"]);
    expect(end.seen).toEqual([{ samples: 2 * 3_200, sampleRate: 16_000, reason: "failed" }]);
  });

  it("sends no audio past the moment its stop fires", async () => {
    const end = ends();
    const stop = new AbortController();
    const reader = muxStream(produce(5), { abort: new AbortController(), onEnd: end.onEnd, stop: stop.signal }).getReader();
    await reader.read();
    await reader.read();
    stop.abort();
    await expect(reader.read()).rejects.toThrow("credit hold");
    expect(end.seen).toEqual([{ samples: 3_200, sampleRate: 16_000, reason: "failed" }]);
  });
});
