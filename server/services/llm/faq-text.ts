import "server-only";

// Text normalization for the FAQ responder: accents folded, lower case, function words dropped and
// a light English suffix stripping, so "opening hours?" and "When do you open" share "open".
// Deliberately small and predictable; it knows no synonyms ("price" does not match "cost").

// Function words that say nothing about the topic. Question words (what, when, where, how, who,
// why) stay: they separate "when do you open" from "where are you".
const STOPWORDS = new Set(
  (
    "a an the is are was were be been being am do does did done to of in on at for from with by and or but if so as " +
    "can could would should will shall may might must i you your yours me my mine we our ours us it its this that these those " +
    "there here please tell let know about any some just also very really hi hello hey thanks thank "
  )
    .trim()
    .split(/\s+/),
);

/** Strips common English inflections; other words pass unchanged. */
export function stem(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  let w = word;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) w = w.slice(0, -1);
  for (const suffix of ["ing", "ed", "ly"]) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length);
      // "running" → "runn" → "run"; "opened" → "open".
      if (/([bdfgmnprt])\1$/.test(w)) w = w.slice(0, -1);
      break;
    }
  }
  // A final "e" varies with inflection (price, priced, pricing): drop it everywhere.
  if (w.endsWith("e") && w.length > 3) w = w.slice(0, -1);
  return w;
}

/** Normalized content tokens of a text. */
export function contentTokens(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t && !STOPWORDS.has(t))
    .map(stem);
}
