import { describe, expect, it } from "vitest";
import { billedSeconds, formatDuration } from "./format";

describe("session figures", () => {
  it("show durations in seconds, then minutes and seconds", () => {
    expect(formatDuration(4_400)).toBe("4 s");
    expect(formatDuration(65_200)).toBe("1 min 05 s");
    expect(billedSeconds(4_249)).toBe("4.2 s");
  });
});
