import { describe, expect, it } from "vitest";
import { digitsToWords, expandNumbers } from "./number-words";

describe("digitsToWords", () => {
  it("says whole numbers up to trillions as one number", () => {
    expect(digitsToWords("0")).toBe("zero");
    expect(digitsToWords("7")).toBe("seven");
    expect(digitsToWords("40")).toBe("forty");
    expect(digitsToWords("89")).toBe("eighty nine");
    expect(digitsToWords("100")).toBe("one hundred");
    expect(digitsToWords("1000000")).toBe("one million");
    expect(digitsToWords("1234567")).toBe("one million two hundred thirty four thousand five hundred sixty seven");
    expect(digitsToWords("999999999999")).toBe("nine hundred ninety nine billion nine hundred ninety nine million nine hundred ninety nine thousand nine hundred ninety nine");
  });

  it("says a leading zero digit by digit, and very long runs in groups of three", () => {
    expect(digitsToWords("007")).toBe("zero zero seven");
    expect(digitsToWords("1234567890123456789012345")).toMatch(/^one septillion two hundred thirty four sextillion .* three hundred forty five$/);
    expect(digitsToWords("1".repeat(37))).toBe(`${"one hundred eleven ".repeat(12)}one`);
  });

  it("refuses what is not a digit string", () => {
    expect(() => digitsToWords("12a")).toThrow(/not a digit string/);
  });
});

describe("expandNumbers", () => {
  it("replaces every number in a text by its words, with thousands separators and decimals", () => {
    expect(expandNumbers("The total is 1234567 dollars and 89 cents.").replace(/\s+/g, " ")).toBe(
      "The total is one million two hundred thirty four thousand five hundred sixty seven dollars and eighty nine cents.",
    );
    const spoken = (text: string) => expandNumbers(text).replace(/\s+/g, " ").trim();
    expect(spoken("$1,234.56")).toBe("$ one thousand two hundred thirty four point five six");
    expect(spoken("pi is 3.14")).toBe("pi is three point one four");
    expect(expandNumbers("no digits here")).toBe("no digits here");
  });
});
