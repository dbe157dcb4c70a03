import { describe, expect, it } from "vitest";
import { SseParser, type SseEvent } from "./sse";

function parseInPieces(text: string, cut: number[]): SseEvent[] {
  const parser = new SseParser();
  const out: SseEvent[] = [];
  let at = 0;
  for (const c of [...cut, text.length]) {
    out.push(...parser.push(text.slice(at, c)));
    at = c;
  }
  out.push(...parser.end());
  return out;
}

const STREAM =
  ': keep-alive\n\n' +
  'data: {"a":1}\n\n' +
  'event: error\r\ndata: {"error":{"message":"x"}}\r\n\r\n' +
  'data: line one\ndata: line two\n\n' +
  'id: 7\nretry: 1000\ndata:no-space\r\rdata: [DONE]\n\n';

const EXPECTED: SseEvent[] = [
  { event: "message", data: '{"a":1}' },
  { event: "error", data: '{"error":{"message":"x"}}' },
  { event: "message", data: "line one\nline two" },
  { event: "message", data: "no-space" },
  { event: "message", data: "[DONE]" },
];

describe("SseParser", () => {
  it("parses events, comments, multi-line data and all three line endings", () => {
    expect(parseInPieces(STREAM, [])).toEqual(EXPECTED);
  });

  it("gives the same events wherever the text is cut, including between \\r and \\n", () => {
    for (let i = 1; i < STREAM.length; i++) expect(parseInPieces(STREAM, [i])).toEqual(EXPECTED);
    for (let i = 1; i + 3 < STREAM.length; i += 3) expect(parseInPieces(STREAM, [i, i + 1, i + 3])).toEqual(EXPECTED);
  });

  it("delivers a last event the server did not close with a blank line", () => {
    expect(parseInPieces('data: {"b":2}', [5])).toEqual([{ event: "message", data: '{"b":2}' }]);
  });
});
