import { describe, expect, it } from "vitest";
import { SentenceSplitter, splitSentences } from "./sentences";

/** Feeds `text` one character at a time, recording after which character each sentence came out. */
function streamByChar(text: string) {
  const splitter = new SentenceSplitter();
  const events: { sentence: string; afterChars: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    for (const sentence of splitter.push(text[i]!)) events.push({ sentence, afterChars: i + 1 });
  }
  for (const sentence of splitter.flush()) events.push({ sentence, afterChars: -1 });
  return events;
}

describe("splitSentences", () => {
  it("splits on . ! ? and keeps the punctuation", () => {
    expect(splitSentences("Hello there. How are you? I am fine!")).toEqual(["Hello there.", "How are you?", "I am fine!"]);
  });

  it("does not split abbreviations, initials or decimals", () => {
    expect(splitSentences("Dr. Smith paid 3.5 dollars, e.g. for tea. J. K. Rowling agreed.")).toEqual([
      "Dr. Smith paid 3.5 dollars, e.g. for tea.",
      "J. K. Rowling agreed.",
    ]);
    expect(splitSentences("Visit example.com today. Mrs. Jones said so.")).toEqual(["Visit example.com today.", "Mrs. Jones said so."]);
  });

  it("treats an ellipsis as an end only when a new sentence starts after it", () => {
    expect(splitSentences("Well... maybe not. I waited… Then it came.")).toEqual(["Well... maybe not.", "I waited…", "Then it came."]);
  });

  it("keeps closing quotes and brackets with their sentence", () => {
    expect(splitSentences('He said "stop." Then he left (quietly.) The end')).toEqual(['He said "stop."', "Then he left (quietly.)", "The end"]);
  });

  it("splits CJK text on full-width terminators without spaces", () => {
    expect(splitSentences("你好。今天天气很好！你呢？")).toEqual(["你好。", "今天天气很好！", "你呢？"]);
    expect(splitSentences("「はい。」と言った。")).toEqual(["「はい。」", "と言った。"]);
  });

  it("keeps numbered list markers with their item and splits lines", () => {
    expect(splitSentences("Steps:\n1. Open the box\n2. Take it out.")).toEqual(["Steps:", "1. Open the box", "2. Take it out."]);
  });

  it("cuts a run-on text at a clause break so speech can start", () => {
    const text = `${"word ".repeat(10)}and then, ${"more ".repeat(30)}end`;
    const parts = splitSentences(text, { maxChars: 80 });
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[0]!.endsWith(",")).toBe(true);
    expect(parts.every((p) => p.length <= 80)).toBe(true);
    expect(parts.join(" ").replace(/\s+/g, " ")).toBe(text.replace(/\s+/g, " "));
  });

  it("returns nothing for blank text", () => {
    expect(splitSentences("   \n ")).toEqual([]);
  });
});

describe("SentenceSplitter (streaming)", () => {
  it("emits a sentence as soon as the space after its terminator arrives", () => {
    const text = "Hi there. This is fine! Last one";
    const events = streamByChar(text);
    expect(events).toEqual([
      { sentence: "Hi there.", afterChars: "Hi there. ".length },
      { sentence: "This is fine!", afterChars: "Hi there. This is fine! ".length },
      { sentence: "Last one", afterChars: -1 },
    ]);
  });

  it("waits at an undecided period instead of splitting a decimal", () => {
    const s = new SentenceSplitter();
    expect(s.push("It costs 3.")).toEqual([]);
    expect(s.push("5 euros. And")).toEqual(["It costs 3.5 euros."]);
    expect(s.flush()).toEqual(["And"]);
  });

  it("gives the same sentences however the text is chunked", () => {
    const text = "Dr. Who arrived at 10.30 a.m. today... Nobody knew! Was it real? 「はい。」Yes.\nNext line";
    const whole = splitSentences(text);
    for (const size of [1, 2, 3, 5, 7, 13]) {
      const s = new SentenceSplitter();
      const out: string[] = [];
      for (let i = 0; i < text.length; i += size) out.push(...s.push(text.slice(i, i + size)));
      out.push(...s.flush());
      expect(out).toEqual(whole);
    }
  });

  it("flushes a final terminator at end of stream", () => {
    const s = new SentenceSplitter();
    expect(s.push("Done.")).toEqual([]);
    expect(s.flush()).toEqual(["Done."]);
    expect(s.flush()).toEqual([]);
  });
});
