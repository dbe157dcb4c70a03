import { describe, expect, it } from "vitest";
import { encodePreamble, encodeRecord, MUX_ERROR_CODES, MUX_VERSION_MINOR, MuxError, MuxReader, type MuxRecord } from "./index";
import { prng, writeSampleTurn } from "./sample-stream";

const ITERATIONS = 120_000;
const KNOWN_CODES = new Set<string>(MUX_ERROR_CODES);

/** Small valid streams to mutate: with and without video, different rates, an error ending. */
function seeds(): Uint8Array[] {
  const out = [
    writeSampleTurn({ seconds: 0.02, chunk: 80, video: true }).bytes,
    writeSampleTurn({ seconds: 0.02, chunk: 40, sampleRate: 8_000, fps: 30 }).bytes,
  ];
  const recs: MuxRecord[] = [
    { kind: "header", versionMajor: 1, versionMinor: 0, sampleRate: 24_000, fps: 25, width: 0, height: 0, audioCodec: "pcm_s16le", videoCodec: "none", avatarId: "ava_x", manifestId: null, manifestVersion: 1 },
    { kind: "text_delta", pts: 0, text: "hé" },
    { kind: "audio", pts: 0, samples: Int16Array.of(1, 2, 3) },
    { kind: "error", code: "tts_failed", message: "stopped", retryable: false },
    { kind: "usage", pts: 3, renderedSamples: 3, renderedMicros: 125 },
    { kind: "end", reason: "error", totalSamples: 3 },
  ];
  out.push(Uint8Array.from([...encodePreamble(), ...recs.flatMap((r) => [...encodeRecord(r)])]));
  return out;
}

/** b with `del` bytes at `at` replaced by `ins` (typed-array copies; spreads are too slow here). */
function splice(b: Uint8Array, at: number, del: number, ins: Uint8Array): Uint8Array {
  const end = Math.min(b.length, at + del);
  const out = new Uint8Array(at + ins.length + b.length - end);
  out.set(b.subarray(0, at));
  out.set(ins, at);
  out.set(b.subarray(end), at + ins.length);
  return out;
}

function mutate(src: Uint8Array, rand: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(rand() * n);
  let b: Uint8Array = src.slice();
  const edits = 1 + pick(4);
  for (let e = 0; e < edits; e++) {
    const at = pick(b.length + 1);
    switch (pick(7)) {
      case 0: // bit flip
        if (at < b.length) b[at]! ^= 1 << pick(8);
        break;
      case 1: // interesting byte
        if (at < b.length) b[at] = [0, 0xff, 0x7f, 0x80, 1, 0x02, 0x11][pick(7)]!;
        break;
      case 2: // truncate
        b = b.subarray(0, at);
        break;
      case 3: { // delete a range
        const n = 1 + pick(16);
        b = splice(b, at, n, new Uint8Array(0));
        break;
      }
      case 4: { // insert random bytes
        b = splice(b, at, 0, Uint8Array.from({ length: 1 + pick(8) }, () => pick(256)));
        break;
      }
      case 5: { // duplicate a slice (repeated records, repeated headers)
        const n = 1 + pick(40);
        b = splice(b, at, 0, b.slice(at, at + n));
        break;
      }
      default: // overwrite a 32-bit field with a large value (absurd lengths)
        if (at + 4 <= b.length) new DataView(b.buffer, b.byteOffset).setUint32(at, Math.floor(rand() * 0xffff_ffff), true);
    }
  }
  return b;
}

function randomInput(rand: () => number): Uint8Array {
  const n = Math.floor(rand() * 48);
  const body = Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
  // Half get a valid preamble so the fuzzer reaches record parsing instead of stopping at the magic.
  return rand() < 0.5 ? splice(body, 0, 0, encodePreamble()) : body;
}

describe("mux reader fuzz", () => {
  it(`never crashes or throws anything but a coded MuxError on ${ITERATIONS} inputs`, () => {
    const rand = prng(20261121);
    const pool = seeds();
    const outcomes = new Map<string, number>();
    let decodedOk = 0;
    let nonCanonical = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const input = i % 3 === 0 ? randomInput(rand) : mutate(pool[i % pool.length]!, rand);
      const reader = new MuxReader();
      const records: MuxRecord[] = [];
      try {
        // Random chunking: the outcome must not depend on where the network split the bytes.
        for (let at = 0; at < input.length; ) {
          const n = 1 + Math.floor(rand() * 64);
          records.push(...reader.push(input.subarray(at, at + n)));
          at += n;
        }
        reader.finish();
        decodedOk++;
        // A valid stream of this minor re-encodes to the same bytes: decoding lost nothing.
        if (input[5] === MUX_VERSION_MINOR) {
          let at = 0;
          let same = true;
          for (const part of [encodePreamble(), ...records.map(encodeRecord)]) {
            for (let k = 0; k < part.length && same; k++) same = part[k] === input[at + k];
            at += part.length;
          }
          if (!same || at !== input.length) nonCanonical++;
        }
      } catch (err) {
        if (!(err instanceof MuxError) || !KNOWN_CODES.has(err.code)) throw err;
        outcomes.set(err.code, (outcomes.get(err.code) ?? 0) + 1);
      }
    }
    expect(nonCanonical).toBe(0);
    // The corpus must exercise both acceptance and the main rejection paths, or it tests nothing.
    expect(decodedOk).toBeGreaterThan(0);
    for (const code of ["bad_magic", "truncated", "record_too_large", "unknown_kind", "bad_value", "audio_gap"]) {
      expect(outcomes.get(code) ?? 0, code).toBeGreaterThan(0);
    }
  });
});
