import { describe, expect, it } from "vitest";
import { transcriptWords, wordErrorRate, wordErrors } from "./word-error-rate";

describe("wordErrors", () => {
  it("is zero for the same words whatever the case and punctuation", () => {
    expect(wordErrors("What are your opening hours?", "what are your opening hours")).toEqual({ errors: 0, words: 5 });
  });

  it("counts a substitution, a deletion and an insertion once each", () => {
    expect(wordErrors("what are your opening hours", "what are your opening dollars").errors).toBe(1);
    expect(wordErrors("can i cancel my order", "can i cancel order").errors).toBe(1);
    expect(wordErrors("do you ship", "do you ship it").errors).toBe(1);
  });

  it("aligns rather than compares position by position", () => {
    // A dropped first word shifts everything: position by position would count 4 errors.
    expect(wordErrors("how can i contact support", "can i contact support").errors).toBe(1);
  });

  it("counts every reference word for an empty hypothesis and every word for an empty reference", () => {
    expect(wordErrors("is my data safe", "")).toEqual({ errors: 4, words: 4 });
    expect(wordErrors("", "noise words")).toEqual({ errors: 2, words: 0 });
  });

  it("keeps apostrophes inside words", () => {
    expect(transcriptWords("What's ‘up’, it's fine.")).toEqual(["what's", "up", "it's", "fine"]);
    expect(wordErrors("what's on", "what is on").errors).toBe(2);
  });
});

describe("wordErrorRate", () => {
  it("weights each sentence by its length (corpus WER)", () => {
    const rate = wordErrorRate([
      { reference: "one two three four", hypothesis: "one two three four" },
      { reference: "five six", hypothesis: "five" },
    ]);
    expect(rate).toBeCloseTo(1 / 6, 10);
  });

  it("is 0 for nothing and 1 for words out of nothing", () => {
    expect(wordErrorRate([])).toBe(0);
    expect(wordErrorRate([{ reference: "", hypothesis: "hello" }])).toBe(1);
  });
});
