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
