import { expandNumbers } from "./number-words";

// How long a TTS takes to say a text, estimated from the text as it will be spoken: numbers become
// their words, then each character costs the time its script takes to say. The costs are measured
// on espeak-ng at 175 words per minute (its normal rate, speed 1) and round up: an estimate a little
// long reserves a little more than is used and is released at the end; one too short cuts speech.

/** Seconds per character at speed 1, by what the character is. */
export const SECONDS_PER_CHAR = {
  /** Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari … letters: about 14 per second with spaces. */
  letter: 1 / 11,
  /** An ideograph read by a Chinese voice: one syllable, ~0.42 s measured for Mandarin. */
  hanChinese: 0.45,
  /** An ideograph read by any other voice (Japanese included): espeak-ng names it ("Chinese letter"). */
  hanOther: 1,
  /** Hiragana and katakana: one mora each. */
  kana: 0.25,
  /** A Hangul syllable block. */
  hangul: 0.3,
  /** Thai, Lao, Khmer, Myanmar: letters without spaces between words. */
  southeastAsian: 1 / 9,
  /** Letters of an all-caps short word, which are spelled out ("NASA", "FBI"). */
  spelled: 0.2,
  /** Symbols said as words: emoji names, currency, "%", "#", "@", "&" … */
  symbol: 0.45,
  /** The pause after a sentence end. */
  sentenceEnd: 0.35,
  /** The pause at a comma, colon, dash … */
  clauseBreak: 0.15,
} as const;

const SENTENCE_END = /[.!?…。！？｡]/u;
const SAID_AS_WORD = /[#%@&*§¶†‡/\\]/u;
const HAN = /\p{Script=Han}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}ー]/u;
const HANGUL = /\p{Script=Hangul}/u;
const SOUTHEAST_ASIAN = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const LETTER_OR_MARK = /[\p{L}\p{M}]/u;
const SYMBOL = /[\p{S}\p{Extended_Pictographic}]/u;
const PUNCTUATION = /\p{P}/u;
const ACRONYM = /\b\p{Lu}{2,5}\b/gu;

/** Chinese voices (zh, cmn, yue and their regional tags) say an ideograph as one syllable. */
function isChinese(language: string): boolean {
  return /^(zh|cmn|yue|hak|nan)(-|$)/i.test(language.trim());
}

/**
 * Seconds a TTS takes to say `text` at speaking-rate multiplier `rate` (1 = espeak-ng's 175 wpm) in
 * `language` (a BCP-47 tag; it decides how ideographs are read). Pure: the same everywhere.
 */
export function estimateSpeechSeconds(text: string, options: { language?: string; rate?: number } = {}): number {
  const chinese = isChinese(options.language ?? "en");
  const rate = options.rate && options.rate > 0 ? options.rate : 1;
  const spoken = expandNumbers(text.normalize("NFC"));
  let seconds = 0;
  // Acronyms first: their letters are spelled, so they cost more than letters in a word.
  const rest = spoken.replace(ACRONYM, (word) => {
    seconds += word.length * SECONDS_PER_CHAR.spelled;
    return " ";
  });
  for (const ch of rest) seconds += charSeconds(ch, chinese);
  return seconds / rate;
}

function charSeconds(ch: string, chinese: boolean): number {
  if (HAN.test(ch)) return chinese ? SECONDS_PER_CHAR.hanChinese : SECONDS_PER_CHAR.hanOther;
  if (KANA.test(ch)) return SECONDS_PER_CHAR.kana;
  if (HANGUL.test(ch)) return SECONDS_PER_CHAR.hangul;
  if (SOUTHEAST_ASIAN.test(ch)) return SECONDS_PER_CHAR.southeastAsian;
  if (LETTER_OR_MARK.test(ch)) return SECONDS_PER_CHAR.letter;
  if (SENTENCE_END.test(ch)) return SECONDS_PER_CHAR.sentenceEnd;
  if (SAID_AS_WORD.test(ch) || SYMBOL.test(ch)) return SECONDS_PER_CHAR.symbol;
  if (PUNCTUATION.test(ch)) return SECONDS_PER_CHAR.clauseBreak;
  return 0; // whitespace, joiners, control characters
}
