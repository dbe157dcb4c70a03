// A recogniser's partial hypotheses can be revised ("is there a" → "is there ah the"), but a
// transcription delta event only ever appends. So a delta is sent only when the new hypothesis
// extends, word for word, what was already sent; a revision sends nothing, and the completed
// transcript (which a client shows in place of the deltas) carries the final words.

/** The text to append to `sent` for hypothesis `next`, or "" when `next` revised what was sent. */
export function transcriptDelta(sent: string, next: string): string {
  const a = sent.trim();
  const b = next.trim().replace(/\s+/g, " ");
  if (a === "") return b;
  if (b.length <= a.length || !b.startsWith(a)) return "";
  // Only whole words: "is the" must not be extended by "is there" into "is the" + "re".
  if (b[a.length] !== " ") return "";
  return b.slice(a.length);
}
