import { describe, expect, it } from "vitest";
import { findUnstorable, isStorableText, storableJsonObject, storableText } from "./storable";

describe("text the database can store", () => {
  it.each([
    ["plain", true],
    ["emoji 😀 and CJK 你好", true],
    ["", true],
    ["nul \u0000 inside", false],
    ["lone high \uD83D", false],
    ["\uDE00 lone low first", false],
    ["reversed pair \uDE00\uD83D", false],
  ])("%j → %s", (text, ok) => {
    expect(isStorableText(text)).toBe(ok);
    expect(storableText.safeParse(text).success).toBe(ok);
  });

  it("keeps chaining like z.string()", () => {
    const name = storableText.trim().min(1).max(5);
    expect(name.parse("  ab ")).toBe("ab");
    expect(name.safeParse("abcdef").success).toBe(false);
    expect(name.safeParse("a\u0000").error?.issues[0]?.message).toMatch(/NUL/);
  });
});

describe("JSON objects the database can store", () => {
  it("points at the first bad string or key", () => {
    expect(findUnstorable({ a: [1, { b: "x\u0000" }] }, 32)).toMatchObject({ path: ["a", 1, "b"] });
    expect(findUnstorable({ a: { "k\uD800": 1 } }, 32)).toMatchObject({ path: ["a"], message: expect.stringMatching(/^keys/) });
    expect(findUnstorable({ a: [true, null, 2, "ok"] }, 32)).toBeNull();
  });

  it("bounds nesting without recursing into it", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorable({ deep }, 32)).toMatchObject({ path: [], message: expect.stringMatching(/more than 32 levels/) });
    let ok: unknown = 1;
    for (let i = 0; i < 31; i++) ok = { n: ok };
    expect(findUnstorable(ok, 32)).toBeNull();
  });

  it("bounds the serialised size when asked", () => {
    const field = storableJsonObject("settings", { maxChars: 20 });
    expect(field.safeParse({ a: "short" }).success).toBe(true);
    expect(field.safeParse({ a: "x".repeat(30) }).error?.issues[0]?.message).toMatch(/at most 20/);
  });
});
