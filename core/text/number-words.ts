// Digits as the words a TTS says for them, for estimating how long speech takes: "1234567" is
// seven characters on the page but "one million two hundred thirty four thousand five hundred sixty
// seven" out loud. English words stand in for every language: the spoken lengths of numbers in the
// languages the TTS speaks are close enough for an estimate.

const ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
const TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const SCALES = ["", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion", "sextillion", "septillion", "octillion", "nonillion", "decillion"];
/** espeak-ng reads a run of up to 36 digits as one number ("… septillion, …"); longer ones in groups here. */
const MAX_WHOLE_DIGITS = SCALES.length * 3;

function belowThousand(n: number): string {
  const words: string[] = [];
  if (n >= 100) words.push(ONES[Math.floor(n / 100)]!, "hundred");
  const rest = n % 100;
  if (rest >= 20) words.push(TENS[Math.floor(rest / 10)]!, ...(rest % 10 ? [ONES[rest % 10]!] : []));
  else if (rest > 0 || n === 0) words.push(ONES[rest]!);
  return words.join(" ");
}

/** A run of digits as spoken words: a whole number up to 36 digits, digit by digit with a leading zero, else in groups of three. */
export function digitsToWords(digits: string): string {
  if (!/^\d+$/.test(digits)) throw new Error(`digitsToWords: not a digit string: ${JSON.stringify(digits)}`);
  if (digits.length > 1 && digits.startsWith("0")) return [...digits].map((d) => ONES[Number(d)]).join(" ");
  if (digits.length > MAX_WHOLE_DIGITS) {
    const groups = digits.match(/\d{1,3}/g)!;
    return groups.map((g) => (g.startsWith("0") ? digitsToWords(g) : belowThousand(Number(g)))).join(" ");
  }
  const groups: number[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(Number(digits.slice(Math.max(0, end - 3), end)));
  if (groups.every((g) => g === 0)) return "zero";
  const words: string[] = [];
  groups.forEach((g, i) => {
    if (g === 0) return;
    const scale = SCALES[groups.length - 1 - i]!;
    words.push(belowThousand(g), ...(scale ? [scale] : []));
  });
  return words.join(" ");
}

// A number as written: digits with thousands separators and a decimal part ("1,234.56", "3.14").
const NUMBER = /\d+(?:[.,]\d+)*/g;

/** The text with every number replaced by its spoken words ("1,234.5" → "one thousand two hundred thirty four point five"). */
export function expandNumbers(text: string): string {
  return text.replace(NUMBER, (match) => {
    const grouped = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(match) ? match.replace(/,/g, "") : match;
    const [whole, ...fractions] = grouped.split(/[.,]/);
    const spoken = [digitsToWords(whole!)];
    // After the point every digit is said on its own: "three point one four".
    for (const f of fractions) spoken.push("point", [...f].map((d) => ONES[Number(d)]).join(" "));
    return ` ${spoken.join(" ")} `;
  });
}
