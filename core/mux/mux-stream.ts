import type { Bytes } from "./bytes";

/** Bytes of the body plus the audio clock after them (what the reader has been handed once they are read). */
export type MuxChunk = { bytes: Bytes; samples: number; sampleRate: number };
export type MuxStreamEnd = { samples: number; sampleRate: number; reason: "complete" | "cancelled" | "failed" };
type Sent = { samples: number; sampleRate: number };

export type MuxStreamHooks = {
  /** Aborted when the reader goes away; aborting it ends the body. The producer stops on its signal. */
  abort: AbortController;
  /** Runs exactly once with the audio handed to the reader, however the body ends. */
  onEnd?: (end: MuxStreamEnd) => Promise<void>;
  /** Follows the audio handed over (a credit hold's heartbeat records it). */
  onSent?: (sent: Sent) => void;
  /** Fires when what pays for the stream is gone: it ends at once, and no audio past it is sent. */
  stop?: AbortSignal;
  /** Told what the body cannot deliver: a failure after streaming began, or `onEnd` failing. */
  onError?: (error: unknown, what: string) => void;
};

/**
 * A mux body pulled from its records (a turn's generator): the next batch is produced only when the
 * reader wants more, so at most one batch sits unsent and the audio handed over is exact — the figure
 * a turn is billed on. `onEnd` runs once: at the end of the records, when the reader cancels, when
 * `abort` fires (which also covers a reader that left before reading a byte), when the records fail,
 * or when `stop` fires. `first`, when given, was produced already (to answer errors before any byte).
 */
export function muxStream(records: AsyncGenerator<MuxChunk>, hooks: MuxStreamHooks, first?: MuxChunk): ReadableStream<Uint8Array> {
  let pendingFirst: MuxChunk | null = first ?? null;
  let sent: Sent = { samples: 0, sampleRate: first?.sampleRate ?? 0 };
  let ending: Promise<void> | null = null;
  let done = false; // the body is finished or its reader is gone
  const end = (reason: MuxStreamEnd["reason"]) => {
    ending ??= (hooks.onEnd?.({ ...sent, reason }) ?? Promise.resolve()).catch((err: unknown) => hooks.onError?.(err, "could not close the stream's hold"));
    return ending;
  };
  const leave = () => {
    if (done) return;
    done = true;
    void end("cancelled");
    records.return(undefined).catch(() => undefined);
  };
  if (hooks.abort.signal.aborted) leave();
  else hooks.abort.signal.addEventListener("abort", leave, { once: true });
  hooks.stop?.addEventListener("abort", () => void end("failed"), { once: true });

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const chunk = pendingFirst ?? (await records.next()).value ?? null;
          pendingFirst = null;
          if (done) {
            controller.error(hooks.abort.signal.reason);
            return;
          }
          if (!chunk) {
            done = true;
            await end("complete");
            controller.close();
            return;
          }
          if (ending && chunk.samples > sent.samples) {
            // Audio past what was billed (what paid for it was lost meanwhile) is never sent.
            done = true;
            hooks.abort.abort(new Error("the stream's hold was lost"));
            controller.error(new Error("The stream ended: its credit hold could not be kept."));
            return;
          }
          controller.enqueue(chunk.bytes);
          sent = { samples: chunk.samples, sampleRate: chunk.sampleRate };
          hooks.onSent?.(sent);
        } catch (err) {
          if (done) {
            controller.error(err);
            return;
          }
          done = true;
          hooks.onError?.(err, "stream failed after streaming began");
          await end("failed");
          controller.error(err);
        }
      },
      async cancel() {
        // Close on what was handed over before the reader left; stop the producer at once.
        hooks.abort.abort(new DOMException("client disconnected", "AbortError"));
        await end("cancelled");
      },
    },
    { highWaterMark: 0 },
  );
}
