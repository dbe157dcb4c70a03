// What the user heard of a reply cut short. The mux carries each sentence's text at the sample where
// it starts sounding, so the sentences that started before the cut were (at least partly) heard.
// Inside the sentence that was playing, the cut falls in proportion to its duration, rounded down to
// a whole word: an estimate (speech rate varies within a sentence), never more than was played.

/** A sentence and the response-relative sample where it starts sounding. */
export type SentenceMark = { at: number; text: string };

/**
 * The reply's text up to `playedSamples` of its audio. `endSample`: where the last sentence's audio
 * ends (the audio generated so far).
 */
export function playedText(marks: readonly SentenceMark[], playedSamples: number, endSample: number): string {
  let out = "";
  for (let i = 0; i < marks.length; i++) {
    const m = marks[i]!;
    if (m.at >= playedSamples) break;
    const end = i + 1 < marks.length ? marks[i + 1]!.at : endSample;
    if (playedSamples >= end) {
      out += m.text;
      continue;
    }
    out += wordsUpTo(m.text, (playedSamples - m.at) / Math.max(1, end - m.at));
    break;
  }
  return out.trim();
}

/** The whole words of `text` within the first `fraction` of its characters. */
function wordsUpTo(text: string, fraction: number): string {
  const limit = Math.floor(text.length * Math.min(1, Math.max(0, fraction)));
  let cut = 0;
  for (const m of text.matchAll(/\S+/g)) {
    const end = m.index + m[0].length;
    if (end > limit) break;
    cut = end;
  }
  return text.slice(0, cut);
}
