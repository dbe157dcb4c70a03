import {
  ANCILLARY_KIND_MIN,
  LIMITS,
  MUX_MAGIC,
  MUX_VERSION_MAJOR,
  PAYLOAD_CAPS,
  PREAMBLE_BYTES,
  RECORD_HEADER_BYTES,
  RecordKind,
} from "./constants";
import { decodePayload } from "./decode";
import { MuxError } from "./errors";
import { framePts } from "./rules";
import type { HeaderRecord, MuxRecord } from "./types";

type Phase = "preamble" | "record_header" | "payload" | "ended" | "failed";

/**
 * Incremental mux reader: push chunks split anywhere, get whole validated records back.
 * Memory is bounded by the largest per-kind cap: a payload buffer is allocated only after its
 * length passed the cap check. After the first error the reader stays failed with that error.
 */
export class MuxReader {
  private phase: Phase = "preamble";
  private pending = new Uint8Array(PREAMBLE_BYTES);
  private readonly frameHeader = new Uint8Array(RECORD_HEADER_BYTES);
  private filled = 0;
  private kind = 0;
  /** Stream offset of the first byte of `pending`. */
  private pendingAt = 0;
  private consumed = 0;
  private failure: MuxError | null = null;
  private minor = 0;
  private headerRecord: HeaderRecord | null = null;
  private audioNext = 0;
  private lastMotionFrame = -1;
  private lastVideoFrame = -1;
  private lastTextPts = 0;
  private lastStatePts = 0;
  private lastUsageSamples = 0;

  /** The stream header, once read. */
  get header(): HeaderRecord | null {
    return this.headerRecord;
  }
  /** True once the `end` record was read. */
  get ended(): boolean {
    return this.phase === "ended";
  }
  /** Audio samples read so far (the stream clock). */
  get audioSamples(): number {
    return this.audioNext;
  }

  /** Feed bytes; returns the records they completed. Throws MuxError on invalid input. */
  push(chunk: Uint8Array): MuxRecord[] {
    if (this.failure) throw this.failure;
    const out: MuxRecord[] = [];
    try {
      let i = 0;
      while (i < chunk.length) {
        if (this.phase === "ended") throw new MuxError("trailing_data", "bytes after the end record", this.consumed + i);
        const take = Math.min(this.pending.length - this.filled, chunk.length - i);
        this.pending.set(chunk.subarray(i, i + take), this.filled);
        this.filled += take;
        i += take;
        if (this.filled === this.pending.length) {
          const rec = this.complete();
          if (rec) out.push(rec);
        }
      }
      this.consumed += chunk.length;
      return out;
    } catch (err) {
      this.failure = err instanceof MuxError ? err : new MuxError("bad_record", String(err), this.consumed);
      this.phase = "failed";
      throw this.failure;
    }
  }

  /** Call at end of input: throws `truncated`/`missing_header` unless a whole stream was read. */
  finish(): void {
    if (this.failure) throw this.failure;
    if (this.phase === "ended") return;
    const at = this.consumed;
    this.phase = "failed";
    this.failure =
      this.headerRecord === null && this.consumed === 0
        ? new MuxError("missing_header", "empty stream", 0)
        : new MuxError("truncated", "stream ended before its end record", at);
    throw this.failure;
  }

  private expect(n: number, phase: Phase): void {
    this.pendingAt += this.pending.length;
    this.pending = phase === "record_header" ? this.frameHeader : new Uint8Array(n);
    this.filled = 0;
    this.phase = phase;
  }

  private complete(): MuxRecord | null {
    const buf = this.pending;
    const at = this.pendingAt;
    if (this.phase === "preamble") {
      for (let k = 0; k < MUX_MAGIC.length; k++) {
        if (buf[k] !== MUX_MAGIC[k]) throw new MuxError("bad_magic", "not an avatar mux stream", 0);
      }
      if (buf[4] !== MUX_VERSION_MAJOR) throw new MuxError("unsupported_version", `major version ${buf[4]}; this reader reads ${MUX_VERSION_MAJOR}`, 4);
      this.minor = buf[5]!;
      this.expect(RECORD_HEADER_BYTES, "record_header");
      return null;
    }
    if (this.phase === "record_header") {
      const kind = buf[0]!;
      const len = new DataView(buf.buffer, buf.byteOffset, 5).getUint32(1, true);
      const cap = PAYLOAD_CAPS[kind] ?? (kind >= ANCILLARY_KIND_MIN ? LIMITS.maxAncillaryBytes : -1);
      if (cap < 0) throw new MuxError("unknown_kind", `record kind 0x${kind.toString(16)} is not defined in v${MUX_VERSION_MAJOR}`, at);
      if (len > cap) throw new MuxError("record_too_large", `kind 0x${kind.toString(16)} payload ${len} > cap ${cap}`, at);
      if ((this.headerRecord === null) !== (kind === RecordKind.header)) {
        throw this.headerRecord === null
          ? new MuxError("missing_header", "the first record must be the stream header", at)
          : new MuxError("duplicate_header", "a stream has exactly one header", at);
      }
      this.kind = kind;
      this.expect(len, "payload");
      // A zero-length payload is complete immediately (the push loop only runs on new bytes).
      return len === 0 ? this.complete() : null;
    }
    const rec = decodePayload(this.kind, buf, at, this.minor);
    this.check(rec, at);
    if (rec.kind === "end") {
      this.phase = "ended";
      this.pendingAt += buf.length;
      this.pending = new Uint8Array(0);
      this.filled = 0;
    } else {
      this.expect(RECORD_HEADER_BYTES, "record_header");
    }
    return rec;
  }

  /** Stream-level rules: one clock, contiguous audio, frames on the clock grid, nothing backwards. */
  private check(rec: MuxRecord, at: number): void {
    const h = this.headerRecord;
    switch (rec.kind) {
      case "header":
        rec.versionMajor = MUX_VERSION_MAJOR;
        rec.versionMinor = this.minor;
        this.headerRecord = rec;
        return;
      case "audio":
        if (rec.pts !== this.audioNext) throw new MuxError("audio_gap", `audio at sample ${rec.pts}, expected ${this.audioNext}`, at);
        this.audioNext += rec.samples.length;
        return;
      case "motion":
      case "video": {
        const last = rec.kind === "motion" ? this.lastMotionFrame : this.lastVideoFrame;
        if (rec.frame <= last) throw new MuxError("non_monotonic", `${rec.kind} frame ${rec.frame} after ${last}`, at);
        if (rec.pts !== framePts(rec.frame, h!.sampleRate, h!.fps)) throw new MuxError("bad_value", `${rec.kind} frame ${rec.frame} has pts ${rec.pts} off the frame grid`, at);
        if (rec.kind === "motion") {
          this.lastMotionFrame = rec.frame;
          return;
        }
        if (h!.videoCodec !== rec.codec || h!.width !== rec.width || h!.height !== rec.height) {
          throw new MuxError("bad_value", "video frame codec/size differs from the header", at);
        }
        this.lastVideoFrame = rec.frame;
        return;
      }
      case "text_delta":
        this.lastTextPts = notBackwards(rec.pts, this.lastTextPts, "text_delta pts", at);
        return;
      case "state":
        this.lastStatePts = notBackwards(rec.pts, this.lastStatePts, "state pts", at);
        return;
      case "usage":
        this.lastUsageSamples = notBackwards(rec.renderedSamples, this.lastUsageSamples, "usage", at);
        return;
      case "end":
        if (rec.totalSamples !== this.audioNext) throw new MuxError("bad_value", `end says ${rec.totalSamples} samples, stream had ${this.audioNext}`, at);
        return;
      default:
        return;
    }
  }
}

/** Decode a complete in-memory stream (tests, files). */
export function decodeMux(bytes: Uint8Array): MuxRecord[] {
  const reader = new MuxReader();
  const records = reader.push(bytes);
  reader.finish();
  return records;
}

/** `value`, unless it is below the `last` one seen: then a non_monotonic error naming `what`. */
function notBackwards(value: number, last: number, what: string, at: number): number {
  if (value < last) throw new MuxError("non_monotonic", `${what} went backwards`, at);
  return value;
}
