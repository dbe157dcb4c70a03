import { describe, expect, it } from "vitest";
import { assertSafeKey } from "../storage/storage";
import { cleanFilename } from "./assets";
import { parseRange } from "./serve-file";

describe("parseRange", () => {
  // RFC 9110 §14.2: a server may ignore a Range it does not serve, answering 200 with the whole file;
  // 416 is only for one well-formed byte range that lies outside the file.
  it.each([
    [null, null],
    ["bytes=0-99", { start: 0, end: 99 }],
    ["bytes=100-", { start: 100, end: 999 }],
    ["bytes=-10", { start: 990, end: 999 }],
    ["bytes=-5000", { start: 0, end: 999 }],
    ["bytes=900-5000", { start: 900, end: 999 }],
    ["Bytes = 0-9", { start: 0, end: 9 }],
    ["bytes=1000-", "unsatisfiable"],
    ["bytes=1000-1200", "unsatisfiable"],
    ["bytes=-0", "unsatisfiable"],
    ["bytes=5-1", null],
    ["bytes=-", null],
    ["bytes=", null],
    ["bytes=a-b", null],
    ["bytes=0-1,5-6", null],
    ["bytes=0-1, 5-6", null],
    ["bytes=5000-6000,0-1", null],
    ["items=0-1", null],
    ["0-99", null],
  ] as const)("%s", (header, expected) => {
    expect(parseRange(header, 1000)).toEqual(expected);
  });
});

describe("storage keys and file names", () => {
  it("refuses keys that could escape the storage root", () => {
    for (const bad of ["../etc/passwd", "assets/../../x", "/abs", "a//b", "a/./b", "a\\b", "", "a/b\0c"]) expect(() => assertSafeKey(bad)).toThrow();
    expect(() => assertSafeKey("assets/ten_abc/xyz-01.png")).not.toThrow();
  });
  it("keeps only a printable last segment of client file names", () => {
    expect(cleanFilename("C:\\Users\\me\\photo.png")).toBe("photo.png");
    expect(cleanFilename("../../etc/passwd")).toBe("passwd");
    expect(cleanFilename("a\u0000b\nc.png")).toBe("abc.png");
    expect(cleanFilename("")).toBeNull();
  });
});
