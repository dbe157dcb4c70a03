import type { VisemeFrame } from "@/core/visemes/engine";
import { MOUTH_KEYS } from "@/core/visemes/mouth-params";
import { VISEMES } from "@/core/visemes/visemes";
import type { PackedFrames } from "./protocol";

/** Packs engine frames into two transferable arrays. */
export function packFrames(frames: VisemeFrame[]): PackedFrames {
  const probs = new Float32Array(frames.length * VISEMES.length);
  const mouth = new Float32Array(frames.length * MOUTH_KEYS.length);
  frames.forEach((f, i) => {
    probs.set(f.probs, i * VISEMES.length);
    MOUTH_KEYS.forEach((k, j) => (mouth[i * MOUTH_KEYS.length + j] = f.mouth[k]));
  });
  return { first: frames[0]?.index ?? 0, count: frames.length, probs, mouth };
}
