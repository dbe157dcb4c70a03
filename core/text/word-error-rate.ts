// Word error rate: (substitutions + deletions + insertions) / reference words, by Levenshtein
// alignment over words. Both texts are compared as words a listener would hear: case, punctuation
// and spacing do not count, apostrophes inside words ("what's") do.

/** The words of `text`, lower case, punctuation dropped. */
export function transcriptWords(text: string): string[] {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .split(/[^\p{L}\p{N}']+/u)
    .map((w) => w.replace(/^'+|'+$/g, ""))
    .filter(Boolean);
}

/** Edit distance in words between `reference` and `hypothesis`, and the reference's word count. */
export function wordErrors(reference: string, hypothesis: string): { errors: number; words: number } {
  const ref = transcriptWords(reference);
  const hyp = transcriptWords(hypothesis);
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const row = [i];
    for (let j = 1; j <= hyp.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return { errors: prev[hyp.length]!, words: ref.length };
}

/** Corpus word error rate over pairs (total errors / total reference words); 0 for no words at all. */
export function wordErrorRate(pairs: readonly { reference: string; hypothesis: string }[]): number {
  let errors = 0;
  let words = 0;
  for (const p of pairs) {
    const e = wordErrors(p.reference, p.hypothesis);
    errors += e.errors;
    words += e.words;
  }
  if (words === 0) return errors === 0 ? 0 : 1;
  return errors / words;
}
