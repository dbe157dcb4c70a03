import { framesUntil } from "./rules";
import type { MuxRecord } from "./types";
import type { Bytes } from "./bytes";
import { MuxWriter, concatBytes } from "./writer";

/** Deterministic PRNG (mulberry32) so fixtures and fuzz inputs are reproducible from a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface SampleStreamOptions {
  seconds?: number;
  sampleRate?: number;
  fps?: number;
  /** Add I420 video frames (tiny 4x2 size keeps fixtures small). */
  video?: boolean;
  /** Samples per audio chunk, as a TTS would deliver them. */
  chunk?: number;
  /** Motion records carry the face (mux 1.1): this emotion id, and brow/nod gestures that vary by frame. */
  emotion?: number;
}

/**
 * A turn as the server writes it: header, state, text, then audio chunks each followed by the
 * motion (and video) frames they cover, usage after each chunk, idle state, end. Used by tests on
 * both sides of the wire, so reader and writer are checked against the same producer.
 */
export function writeSampleTurn(opts: SampleStreamOptions = {}): { bytes: Bytes; parts: Bytes[] } {
  const sampleRate = opts.sampleRate ?? 16_000;
  const fps = opts.fps ?? 25;
  const total = Math.round((opts.seconds ?? 1) * sampleRate);
  const chunk = opts.chunk ?? 3_200;
  const w = new MuxWriter({
    sampleRate,
    fps,
    width: opts.video ? 4 : 0,
    height: opts.video ? 2 : 0,
    videoCodec: opts.video ? "i420" : "none",
    avatarId: "ava_sample",
    manifestId: "man_sample",
    manifestVersion: 3,
  });
  const parts: Bytes[] = [w.start(), w.state("speaking", 0), w.text("Hello there. ", 0)];
  const rand = prng(7);
  let frame = 0;
  for (let at = 0; at < total; at += chunk) {
    const n = Math.min(chunk, total - at);
    const pcm = new Int16Array(n);
    for (let i = 0; i < n; i++) pcm[i] = Math.round(8_000 * Math.sin(((at + i) * 2 * Math.PI * 220) / sampleRate));
    parts.push(w.audio(pcm));
    for (const end = framesUntil(at + n, sampleRate, fps); frame < end; frame++) {
      const open = (Math.sin(frame / 3) + 1) / 2;
      const face = opts.emotion === undefined ? undefined : { emotion: opts.emotion, brow: (frame % 5) / 4, nod: 1 - open };
      parts.push(w.motion(frame, { jawOpen: open, lipWidth: 0.4, pucker: 0.1, lipsPressed: 0, upperLipRaise: rand() }, frame % 15, [open, 1 - open], face));
      if (opts.video) parts.push(w.video(frame, new Uint8Array(12).fill(frame & 0xff)));
    }
    parts.push(w.usage());
  }
  parts.push(w.text("Bye.", w.position), w.state("idle", w.position), w.end());
  return { bytes: concatBytes(parts), parts };
}

/** Records summarised for equality checks (typed arrays to plain arrays). */
export function plain(records: MuxRecord[]): unknown[] {
  return records.map((r) =>
    r.kind === "audio" ? { ...r, samples: Array.from(r.samples) } : r.kind === "video" ? { ...r, data: Array.from(r.data) } : r,
  );
}
