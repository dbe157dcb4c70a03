import type { MouthParams } from "@/core/visemes/mouth-params";
import { MOUTH_KEYS } from "@/core/visemes/mouth-params";
import { VISEMES, pickViseme, type VisemeName } from "@/core/visemes/visemes";

// The frames the lipsync worker sends, apart from the request schema (protocol.ts) so a page that
// only reads frames (the widget's core chunk) does not bundle the schema library.

/** Frames packed for transfer: rows of 15 probabilities and 5 mouth values. */
export type PackedFrames = { first: number; count: number; probs: Float32Array; mouth: Float32Array };

/** A frame as the page uses it (unpacked from PackedFrames). */
export type WireFrame = { index: number; t: number; viseme: VisemeName; probs: Float32Array; mouth: MouthParams };

export function unpackFrames(p: PackedFrames, fps = 100): WireFrame[] {
  const out: WireFrame[] = [];
  for (let i = 0; i < p.count; i++) {
    const probs = p.probs.subarray(i * VISEMES.length, (i + 1) * VISEMES.length);
    const m = p.mouth.subarray(i * MOUTH_KEYS.length, (i + 1) * MOUTH_KEYS.length);
    const mouth = Object.fromEntries(MOUTH_KEYS.map((k, j) => [k, m[j]!])) as unknown as MouthParams;
    out.push({ index: p.first + i, t: (p.first + i) / fps, viseme: VISEMES[pickViseme(probs)]!, probs, mouth });
  }
  return out;
}
