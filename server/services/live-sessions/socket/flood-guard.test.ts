import { describe, expect, it } from "vitest";
import { FloodGuard } from "./flood-guard";

describe("FloodGuard (100 messages a second per connection)", () => {
  it("passes 100 a second, warns once at the 101st, drops the rest of that second", () => {
    const g = new FloodGuard(100);
    const verdicts = Array.from({ length: 150 }, () => g.take(1_000));
    expect(verdicts.slice(0, 100).every((v) => v === "pass")).toBe(true);
    expect(verdicts[100]).toBe("drop_and_warn");
    expect(verdicts.slice(101).every((v) => v === "drop")).toBe(true);
    expect(g.take(2_000)).toBe("pass"); // a new second
  });

  it("closes past twice the limit in a second, or over it three seconds running", () => {
    const burst = new FloodGuard(100);
    const v = Array.from({ length: 201 }, () => burst.take(0));
    expect(v.at(-1)).toBe("close");
    const steady = new FloodGuard(100);
    const seconds = [0, 1_000, 2_000].map((t) => Array.from({ length: 120 }, () => steady.take(t)));
    expect(seconds[0]).not.toContain("close");
    expect(seconds[1]).not.toContain("close");
    expect(seconds[2]).toContain("close");
  });

  it("a quiet second in between forgives", () => {
    const g = new FloodGuard(100);
    for (const t of [0, 1_000, 3_500, 4_500]) for (let i = 0; i < 120; i++) expect(g.take(t)).not.toBe("close");
  });
});
