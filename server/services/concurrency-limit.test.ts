import { describe, expect, it } from "vitest";
import { ConcurrencyLimit } from "./concurrency-limit";

const busy = () => new Error("busy");
const chunks = (n: number, fail = false) => {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent === n) return fail ? c.error(new Error("stream broke")) : c.close();
      c.enqueue(new Uint8Array([sent++]));
    },
  });
};
const answer = (body: ReadableStream<Uint8Array> | null) => async () => new Response(body, { status: 200, headers: { "x-kept": "yes" } });

describe("ConcurrencyLimit", () => {
  it("refuses past its places and frees a place when the streamed answer is read to the end", async () => {
    const limit = new ConcurrencyLimit(1, busy);
    const res = await limit.stream(new AbortController().signal, answer(chunks(3)));
    expect(res.headers.get("x-kept")).toBe("yes");
    await expect(limit.stream(new AbortController().signal, answer(null))).rejects.toThrow("busy");
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0, 1, 2]);
    expect(limit.active).toBe(0);
  });

  it("frees the place when the body fails, is cancelled, or start throws", async () => {
    const limit = new ConcurrencyLimit(1, busy);
    const broken = await limit.stream(new AbortController().signal, answer(chunks(1, true)));
    await expect(broken.arrayBuffer()).rejects.toThrow("stream broke");
    expect(limit.active).toBe(0);

    const cancelled = await limit.stream(new AbortController().signal, answer(chunks(100)));
    await cancelled.body!.cancel();
    expect(limit.active).toBe(0);

    await expect(limit.stream(new AbortController().signal, () => Promise.reject(new Error("no engine")))).rejects.toThrow("no engine");
    expect(limit.active).toBe(0);
  });

  it("frees the place when the client leaves, in any phase, even if the body is never touched again", async () => {
    const limit = new ConcurrencyLimit(1, busy);
    const gone = new AbortController();
    gone.abort();
    await limit.stream(gone.signal, answer(chunks(5)));
    expect(limit.active).toBe(0);

    const leaving = new AbortController();
    await limit.stream(leaving.signal, answer(chunks(5)));
    expect(limit.active).toBe(1);
    leaving.abort();
    expect(limit.active).toBe(0);
  });

  it("holds a place for exactly as long as run's work, even when it fails", async () => {
    const limit = new ConcurrencyLimit(1, busy);
    let finish!: () => void;
    const running = limit.run(() => new Promise<void>((r) => (finish = r)));
    await expect(limit.run(async () => 1)).rejects.toThrow("busy");
    finish();
    await running;
    await expect(limit.run(() => Promise.reject(new Error("failed")))).rejects.toThrow("failed");
    expect(await limit.run(async () => 2)).toBe(2);
    expect(limit.active).toBe(0);
  });
});
