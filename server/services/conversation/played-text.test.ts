import { describe, expect, it } from "vitest";
import { playedText } from "./played-text";

const marks = [
  { at: 0, text: "Hello there. " },
  { at: 1000, text: "The airlock is to your left and the galley is ahead. " },
  { at: 3000, text: "Enjoy the view." },
];

describe("playedText", () => {
  it("keeps whole sentences that finished playing and nothing of those not started", () => {
    expect(playedText(marks, 1000, 4000)).toBe("Hello there.");
    expect(playedText(marks, 3000, 4000)).toBe("Hello there. The airlock is to your left and the galley is ahead.");
    expect(playedText(marks, 4000, 4000)).toBe("Hello there. The airlock is to your left and the galley is ahead. Enjoy the view.");
  });

  it("cuts the sentence that was playing at a whole word, in proportion to its audio", () => {
    // Half of the second sentence's 2000 samples: about half its characters, whole words only.
    const half = playedText(marks, 2000, 4000);
    expect(half.startsWith("Hello there. The airlock is to")).toBe(true);
    expect(half.length).toBeLessThan("Hello there. The airlock is to your left and the galley is ahead.".length);
    expect(half).not.toMatch(/\s$/);
  });

  it("nothing played: nothing heard", () => {
    expect(playedText(marks, 0, 4000)).toBe("");
    expect(playedText([], 5000, 5000)).toBe("");
  });
});
