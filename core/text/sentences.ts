// Incremental sentence splitter: a chat turn speaks the first sentence while the LLM is still
// writing the rest, so sentences must come out as soon as they are known to have ended, and never
// earlier (splitting "Dr. Smith" or "3.5" would make the TTS pause in the middle of a phrase).

const TERMINATORS = new Set([".", "!", "?", "…"]);
// CJK full stops end a sentence without a following space (those scripts do not use spaces).
const CJK_TERMINATORS = new Set(["。", "！", "？", "｡"]);
// Closing quotes and brackets that belong to the sentence they follow: `He said "hi." Then…`.
const CLOSERS = new Set(['"', "'", "”", "’", "»", ")", "]", "}", "」", "』", "）", "】", "》"]);
const OPENERS = /^["'“‘«([{「『（【《]+/;
// Soft break points when a run-on text has no sentence end within `maxChars`.
const CLAUSE_BREAKS = new Set([",", ";", ":", "—", "–", "，", "、", "；", "："]);

// Words whose trailing period is not a sentence end. Only unambiguous ones: "etc." and "no."
// often end sentences, so they are not here. Single letters (initials: "J. K.") are handled apart.
const ABBREVIATIONS = new Set([
  "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "vs", "fig", "approx", "dept", "inc", "ltd",
  "corp", "co", "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "cf", "ca", "nr", "z.b", "bzw", "evtl", "mme", "mlle",
]);

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const LETTER = /\p{L}/u;
const LOWERCASE_START = /^\p{Ll}/u;
const WHITESPACE = /\s/;

export type SentenceSplitterOptions = {
  /** A text longer than this without a sentence end is cut at a clause break (or a space) so speech can start. */
  maxChars?: number;
};

/** Splits streamed text into sentences: `push` deltas, take complete sentences, `flush` the rest at the end. */
export class SentenceSplitter {
  private buffer = "";
  private readonly maxChars: number;

  constructor(options: SentenceSplitterOptions = {}) {
    this.maxChars = Math.max(20, options.maxChars ?? 240);
  }

  /** Adds a text delta; returns the sentences it completed (trimmed, possibly none). */
  push(delta: string): string[] {
    this.buffer += delta;
    return this.drain(false);
  }

  /** Ends the stream; returns what is left as final sentence(s). */
  flush(): string[] {
    const out = this.drain(true);
    const rest = this.buffer.trim();
    this.buffer = "";
    if (rest) out.push(rest);
    return out;
  }

  private drain(final: boolean): string[] {
    const out: string[] = [];
    for (;;) {
      let end = findSentenceEnd(this.buffer, final);
      if (end < 0 && this.buffer.length > this.maxChars) end = softBreak(this.buffer, this.maxChars);
      if (end < 0) return out;
      const sentence = this.buffer.slice(0, end).trim();
      this.buffer = this.buffer.slice(end);
      if (sentence) out.push(sentence);
    }
  }
}

/** Splits a whole text into sentences (the non-streaming use of SentenceSplitter). */
export function splitSentences(text: string, options?: SentenceSplitterOptions): string[] {
  const splitter = new SentenceSplitter(options);
  return [...splitter.push(text), ...splitter.flush()];
}

/**
 * Index just past the first complete sentence of `buf`, or -1 when none is complete yet. Without
 * `final`, a terminator at the very end of the buffer is undecided: the next character may show
 * it to be a decimal point, an abbreviation's period or part of an ellipsis.
 */
function findSentenceEnd(buf: string, final: boolean): number {
  for (let i = 0; i < buf.length; i++) {
    const ch = buf[i]!;
    if (ch === "\n") {
      // A line break ends a sentence (list items, paragraphs) once the line has words in it.
      if (LETTER_OR_DIGIT.test(buf.slice(0, i))) return i + 1;
      continue;
    }
    if (CJK_TERMINATORS.has(ch)) {
      let j = i + 1;
      while (j < buf.length && (CJK_TERMINATORS.has(buf[j]!) || CLOSERS.has(buf[j]!))) j++;
      if (j === buf.length && !final) return -1;
      return j;
    }
    if (!TERMINATORS.has(ch)) continue;

    let j = i;
    while (j < buf.length && TERMINATORS.has(buf[j]!)) j++;
    const run = buf.slice(i, j);
    while (j < buf.length && CLOSERS.has(buf[j]!)) j++;
    if (j === buf.length) return final && LETTER.test(buf.slice(0, i)) ? j : -1;
    if (!WHITESPACE.test(buf[j]!)) {
      i = j - 1; // "3.5", "e.g.", "example.com", "U.S.": not an end
      continue;
    }
    if (!LETTER.test(buf.slice(0, i))) {
      i = j - 1; // "1." of a numbered list, a lone "?": nothing to speak yet
      continue;
    }
    if (run === "." && isAbbreviation(buf, i)) {
      i = j - 1;
      continue;
    }
    if (isEllipsis(run)) {
      // "Well... maybe" goes on; "I waited... Then" is a new sentence. Decide on the next word.
      let k = j;
      while (k < buf.length && WHITESPACE.test(buf[k]!)) k++;
      if (k === buf.length) return final ? j : -1;
      if (LOWERCASE_START.test(buf.slice(k))) {
        i = k - 1;
        continue;
      }
    }
    return j;
  }
  return -1;
}

function isEllipsis(run: string): boolean {
  return (run.includes("…") || run.includes("..")) && !run.includes("!") && !run.includes("?");
}

/** Whether the period at `dot` closes an abbreviation or an initial rather than a sentence. */
function isAbbreviation(buf: string, dot: number): boolean {
  let start = dot;
  while (start > 0 && !WHITESPACE.test(buf[start - 1]!)) start--;
  const word = buf.slice(start, dot).replace(OPENERS, "").toLowerCase();
  if (ABBREVIATIONS.has(word)) return true;
  // An initial: one uppercase letter ("J. K. Rowling"). A lowercase single letter is a word ("plan b.").
  return /^\p{Lu}$/u.test(buf.slice(start, dot).replace(OPENERS, ""));
}

/** Where to cut a run-on text: after the last clause break, else the last space, else at `max`. */
function softBreak(buf: string, max: number): number {
  const head = buf.slice(0, max);
  for (let i = head.length - 1; i > max / 3; i--) {
    if (CLAUSE_BREAKS.has(head[i]!) && (i + 1 >= buf.length || WHITESPACE.test(buf[i + 1]!) || /[，、；：]/.test(head[i]!))) return i + 1;
  }
  const space = head.search(/\s\S*$/);
  if (space > max / 3) return space + 1;
  // No space at all (CJK without punctuation, a long URL): cut, but never inside a surrogate pair.
  const code = head.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}
