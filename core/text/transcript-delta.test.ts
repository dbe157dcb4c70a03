import { describe, expect, it } from "vitest";
import { transcriptDelta } from "./transcript-delta";

/** Plays hypotheses as a recogniser sends them; returns what the client would have shown. */
function play(hypotheses: string[]): string {
  let sent = "";
  for (const h of hypotheses) sent += transcriptDelta(sent, h);
  return sent;
}

describe("transcriptDelta", () => {
  it("appends the words a growing hypothesis adds", () => {
    expect(transcriptDelta("", "is")).toBe("is");
    expect(transcriptDelta("is", "is there a")).toBe(" there a");
    expect(play(["is", "is there a", "is there a discount"])).toBe("is there a discount");
  });

  it("sends nothing for a hypothesis that revised words already sent", () => {
    expect(transcriptDelta("is there a", "is there ah the")).toBe("");
    expect(transcriptDelta("is the", "is there")).toBe("");
    expect(play(["is", "is there a", "is there ah the", "is there a discount for"])).toBe("is there a discount for");
  });

  it("ignores spacing differences and repeats", () => {
    expect(transcriptDelta("do you", "do  you ")).toBe("");
    expect(transcriptDelta("do you", "do you  ship")).toBe(" ship");
  });
});
