import { MuxReader } from "./reader";
import type { MuxRecord } from "./types";

/** Byte sources a mux can be read from: a WHATWG stream (fetch body) or any async iterable (Node streams). */
export type MuxSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

async function* chunksOf(source: MuxSource): AsyncGenerator<Uint8Array> {
  if (typeof (source as ReadableStream<Uint8Array>).getReader === "function") {
    // getReader rather than for-await: Safari's ReadableStream is not async-iterable.
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      // Cancels the body when the consumer stops early (break/throw), so the server sees the disconnect.
      await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  } else {
    yield* source as AsyncIterable<Uint8Array>;
  }
}

/**
 * Async iterator of validated records as they arrive. Throws MuxError on invalid or truncated
 * input; stops after the `end` record (and checks nothing follows it in the same chunk).
 */
export async function* readMux(source: MuxSource): AsyncGenerator<MuxRecord, void, undefined> {
  const reader = new MuxReader();
  for await (const chunk of chunksOf(source)) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError("mux source must yield Uint8Array chunks");
    for (const rec of reader.push(chunk)) yield rec;
  }
  reader.finish();
}
