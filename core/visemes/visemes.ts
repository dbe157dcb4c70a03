/** The 15 Oculus visemes, in the order of the model's output channels. */
export const VISEMES = ["sil", "PP", "FF", "TH", "DD", "kk", "CH", "SS", "nn", "RR", "aa", "E", "I", "O", "U"] as const;
export type VisemeName = (typeof VISEMES)[number];

/**
 * Coarse mouth-shape groups used to score accuracy (docs/visemes.md):
 * closed (rest and bilabial closure), narrow consonant, open vowel, rounded.
 */
export const COARSE_GROUPS = ["closed", "consonant", "open", "rounded"] as const;
export type CoarseGroup = (typeof COARSE_GROUPS)[number];
export const COARSE_OF: Record<VisemeName, CoarseGroup> = {
  sil: "closed", PP: "closed",
  FF: "consonant", TH: "consonant", DD: "consonant", kk: "consonant", CH: "consonant", SS: "consonant", nn: "consonant", RR: "consonant",
  aa: "open", E: "open", I: "open",
  O: "rounded", U: "rounded",
};

/** Index of the largest value in row `row` of a [rows, 15] array. */
export function argmaxRow(probs: Float32Array, row: number, width = VISEMES.length): number {
  let best = 0;
  let bestV = -Infinity;
  for (let j = 0; j < width; j++) {
    const v = probs[row * width + j]!;
    if (v > bestV) {
      bestV = v;
      best = j;
    }
  }
  return best;
}

const GROUP_INDEX = VISEMES.map((v) => COARSE_GROUPS.indexOf(COARSE_OF[v]));

/**
 * The viseme a frame shows: first the coarse mouth-shape group with the most
 * probability in total, then the most likely viseme inside it. Consonants
 * spread their mass over eight visemes, so a plain argmax often picks a
 * vowel whose group holds less probability than the consonant group; the
 * group decides what the mouth looks like, so it is decided first.
 */
export function pickViseme(probs: ArrayLike<number>, offset = 0): number {
  const sums = [0, 0, 0, 0];
  for (let j = 0; j < VISEMES.length; j++) {
    const g = GROUP_INDEX[j]!;
    sums[g] = sums[g]! + probs[offset + j]!;
  }
  let group = 0;
  for (let g = 1; g < sums.length; g++) if (sums[g]! > sums[group]!) group = g;
  let best = -1;
  for (let j = 0; j < VISEMES.length; j++) {
    if (GROUP_INDEX[j] === group && (best < 0 || probs[offset + j]! > probs[offset + best]!)) best = j;
  }
  return best;
}
