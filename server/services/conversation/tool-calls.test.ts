import { describe, expect, it } from "vitest";
import { ToolCalls } from "./tool-calls";

describe("ToolCalls", () => {
  it("hands the client's output to the waiting call, once", async () => {
    const calls = new ToolCalls();
    const waiting = calls.wait("call_1", new AbortController().signal, 1_000);
    expect(calls.resolve("call_1", '{"ok":true}')).toBe(true);
    expect(await waiting).toBe('{"ok":true}');
    expect(calls.resolve("call_1", "again")).toBe(false);
  });

  it("no answer in time, or the reply aborted: null, and a late answer finds nobody", async () => {
    const calls = new ToolCalls();
    const t0 = performance.now();
    expect(await calls.wait("call_2", new AbortController().signal, 50)).toBeNull();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    expect(calls.resolve("call_2", "late")).toBe(false);
    const abort = new AbortController();
    const waiting = calls.wait("call_3", abort.signal, 10_000);
    abort.abort();
    expect(await waiting).toBeNull();
    expect(calls.resolve("unknown", "x")).toBe(false);
  });
});
