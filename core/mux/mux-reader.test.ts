import { describe, expect, it } from "vitest";
import { decodeMux, encodePreamble, encodeRecord, MuxReader, readMux, type MuxErrorCode, type MuxRecord } from "./index";
import { plain, prng, writeSampleTurn } from "./sample-stream";

function codeOf(fn: () => unknown): MuxErrorCode | "no error" {
  try {
    fn();
    return "no error";
  } catch (err) {
    return (err as { code: MuxErrorCode }).code;
  }
}

function withBytes(bytes: Uint8Array, at: number, ...values: number[]): Uint8Array {
  const out = bytes.slice();
  values.forEach((v, i) => (out[at + i] = v));
  return out;
}

const { bytes: turn } = writeSampleTurn({ seconds: 0.6, video: true });
const HEADER_AT = 6;

/** Re-encode decoded records: equal to the input bytes iff nothing was lost or changed. */
function reencodes(records: MuxRecord[], bytes: Uint8Array): boolean {
  const again = [encodePreamble(), ...records.map(encodeRecord)];
  let at = 0;
  for (const part of again) {
    for (let i = 0; i < part.length; i++) if (part[i] !== bytes[at + i]) return false;
    at += part.length;
  }
  return at === bytes.length;
}

describe("mux reader: chunk boundaries", () => {
  const whole = plain(decodeMux(turn));

  it("gives the same records for every split into two chunks", () => {
    // A short turn with small chunks keeps every record kind and boundary while testing every cut.
    const small = writeSampleTurn({ seconds: 0.12, chunk: 400, video: true }).bytes;
    expect(reencodes(decodeMux(small), small)).toBe(true);
    let failures = 0;
    for (let cut = 0; cut <= small.length; cut++) {
      const reader = new MuxReader();
      const recs = [...reader.push(small.subarray(0, cut)), ...reader.push(small.subarray(cut))];
      reader.finish();
      if (!reencodes(recs, small)) failures++;
    }
    expect(failures).toBe(0);
  });

  it("gives the same records byte by byte and in random chunk sizes", () => {
    const reader = new MuxReader();
    const recs: MuxRecord[] = [];
    for (let i = 0; i < turn.length; i++) recs.push(...reader.push(turn.subarray(i, i + 1)));
    reader.finish();
    expect(plain(recs)).toEqual(whole);

    const rand = prng(42);
    for (let trial = 0; trial < 20; trial++) {
      const r = new MuxReader();
      const got: MuxRecord[] = [];
      for (let at = 0; at < turn.length; ) {
        const n = Math.floor(rand() * 300);
        got.push(...r.push(turn.subarray(at, at + n)));
        at += n;
      }
      r.finish();
      expect(plain(got)).toEqual(whole);
    }
  });

  it("reads a ReadableStream and an async iterable alike", async () => {
    const chunks = [turn.subarray(0, 3), turn.subarray(3, 1000), turn.subarray(1000)];
    const body = new ReadableStream<Uint8Array>({ start: (c) => (chunks.forEach((x) => c.enqueue(x)), c.close()) });
    const fromStream: MuxRecord[] = [];
    for await (const r of readMux(body)) fromStream.push(r);
    const fromIterable: MuxRecord[] = [];
    for await (const r of readMux((async function* () { yield* chunks; })())) fromIterable.push(r);
    expect(plain(fromStream)).toEqual(whole);
    expect(plain(fromIterable)).toEqual(whole);
  });
});

describe("mux reader: rejects bad input with stable codes", () => {
  it("rejects garbage, a JSON error body and an empty stream", () => {
    expect(codeOf(() => decodeMux(new TextEncoder().encode('{"error":"nope"}')))).toBe("bad_magic");
    expect(codeOf(() => decodeMux(new Uint8Array(0)))).toBe("missing_header");
  });

  it("rejects an unknown major version but reads a newer minor with extra fields", () => {
    expect(codeOf(() => decodeMux(withBytes(turn, 4, 2)))).toBe("unsupported_version");
    // A newer minor may append fields to fixed records: the reader skips them there, not in v1.0.
    const state = encodeRecord({ kind: "state", pts: 0, state: "idle" });
    const longer = new Uint8Array(state.length + 2);
    longer.set(state);
    longer[1] = 7;
    const head = encodeRecord({ kind: "header", versionMajor: 1, versionMinor: 0, sampleRate: 16_000, fps: 25, width: 0, height: 0, audioCodec: "pcm_s16le", videoCodec: "none", avatarId: "a", manifestId: null, manifestVersion: 0 });
    const end = encodeRecord({ kind: "end", reason: "complete", totalSamples: 0 });
    const stream = (minor: number) => Uint8Array.from([...withBytes(encodePreamble(), 5, minor), ...head, ...longer, ...end]);
    expect(codeOf(() => decodeMux(stream(0)))).toBe("bad_record");
    expect(codeOf(() => decodeMux(stream(1)))).toBe("bad_record");
    expect(decodeMux(stream(2))[1]).toEqual({ kind: "state", pts: 0, state: "idle" });
  });

  it("rejects truncation at every cut point", () => {
    const small = writeSampleTurn({ seconds: 0.12, chunk: 400, video: true }).bytes;
    for (let cut = 0; cut < small.length; cut++) {
      const code = codeOf(() => decodeMux(small.subarray(0, cut)));
      expect(["truncated", "missing_header"]).toContain(code);
    }
  });

  it("rejects absurd lengths before buffering them", () => {
    const reader = new MuxReader();
    reader.push(turn.subarray(0, HEADER_AT));
    const huge = Uint8Array.of(0x11, 0xff, 0xff, 0xff, 0xff);
    expect(codeOf(() => reader.push(huge))).toBe("record_too_large");
    // The reader stays failed: later input gets the same error, not a crash or a resync.
    expect(codeOf(() => reader.push(turn))).toBe("record_too_large");
  });

  it("rejects unknown critical kinds and skips unknown ancillary ones", () => {
    const headerLen = 5 + new DataView(turn.buffer).getUint32(HEADER_AT + 1, true);
    const afterHeader = HEADER_AT + headerLen;
    const insert = (rec: number[]) => Uint8Array.from([...turn.subarray(0, afterHeader), ...rec, ...turn.subarray(afterHeader)]);
    expect(codeOf(() => decodeMux(insert([0x33, 0, 0, 0, 0])))).toBe("unknown_kind");
    const recs = decodeMux(insert([0xc0, 2, 0, 0, 0, 9, 9]));
    expect(recs[1]).toEqual({ kind: "ancillary", code: 0xc0, payload: Uint8Array.of(9, 9) });
  });

  it("enforces the stream rules: header first, one clock, nothing after end", () => {
    const pre = encodePreamble();
    const state = encodeRecord({ kind: "state", pts: 0, state: "idle" });
    expect(codeOf(() => decodeMux(Uint8Array.from([...pre, ...state])))).toBe("missing_header");
    const headBytes = turn.subarray(HEADER_AT, HEADER_AT + 5 + new DataView(turn.buffer).getUint32(HEADER_AT + 1, true));
    expect(codeOf(() => decodeMux(Uint8Array.from([...turn.subarray(0, HEADER_AT), ...headBytes, ...headBytes])))).toBe("duplicate_header");
    const start = Uint8Array.from([...turn.subarray(0, HEADER_AT), ...headBytes]);
    const gap = encodeRecord({ kind: "audio", pts: 10, samples: new Int16Array(4) });
    expect(codeOf(() => decodeMux(Uint8Array.from([...start, ...gap])))).toBe("audio_gap");
    const offGrid = encodeRecord({ kind: "motion", pts: 5, frame: 1, mouth: { jawOpen: 0, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 }, visemeId: 0, visemeWeights: [] });
    expect(codeOf(() => decodeMux(Uint8Array.from([...start, ...offGrid])))).toBe("bad_value");
    expect(codeOf(() => decodeMux(Uint8Array.from([...turn, 0])))).toBe("trailing_data");
    const wrongTotal = encodeRecord({ kind: "end", reason: "complete", totalSamples: 1 });
    expect(codeOf(() => decodeMux(Uint8Array.from([...start, ...wrongTotal])))).toBe("bad_value");
  });

  it("rejects invalid UTF-8 text", () => {
    const pre = turn.subarray(0, HEADER_AT + 5 + new DataView(turn.buffer).getUint32(HEADER_AT + 1, true));
    const text = Uint8Array.of(0x10, 6, 0, 0, 0, 0, 0, 0, 0, 0xc3, 0x28);
    expect(codeOf(() => decodeMux(Uint8Array.from([...pre, ...text])))).toBe("bad_utf8");
  });
});
