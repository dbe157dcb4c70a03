import "server-only";
import type { Logger } from "pino";
import { MUX_CONTENT_TYPE } from "@/core/mux";
import type { TurnChunk } from "./turn-records";

export type StreamEnd = { samples: number; sampleRate: number; reason: "complete" | "cancelled" | "failed" };

type Sent = { samples: number; sampleRate: number };

/**
 * Wraps a turn's record generator as an HTTP body. Pull-based: the next batch is produced only when
 * the transport wants more, so at most one batch sits unsent. `onEnd` runs exactly once with the
 * audio actually handed to the transport: at the end of the stream, when the client goes away
 * (cancel, or `abort` — which also covers a client that left before the body was ever read), when
 * the generator fails, or when `billingStop` fires (the turn's hold is lost: it is billed at once and
 * no audio past that is sent). `onSent` follows the audio handed over, for the hold's heartbeat.
 */
export function muxResponse(
  first: TurnChunk,
  rest: AsyncGenerator<TurnChunk>,
  opts: {
    abort: AbortController;
    onEnd: (end: StreamEnd) => Promise<void>;
    onSent?: (sent: Sent) => void;
    billingStop?: AbortSignal;
    log: Logger;
    headers?: Record<string, string>;
  },
): Response {
  let pendingFirst: TurnChunk | null = first;
  let sent: Sent = { samples: 0, sampleRate: first.sampleRate };
  let billing: Promise<void> | null = null;
  let done = false; // the body is finished or its reader is gone
  const bill = (reason: StreamEnd["reason"]) => {
    billing ??= opts.onEnd({ ...sent, reason }).catch((err: unknown) => opts.log.error({ err }, "could not close the turn's reservation"));
    return billing;
  };
  const leave = () => {
    if (done) return;
    done = true;
    void bill("cancelled");
    rest.return(undefined).catch(() => undefined);
  };
  if (opts.abort.signal.aborted) leave();
  else opts.abort.signal.addEventListener("abort", leave, { once: true });
  opts.billingStop?.addEventListener("abort", () => void bill("failed"), { once: true });

  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const chunk = pendingFirst ?? (await rest.next()).value ?? null;
          pendingFirst = null;
          if (done) {
            controller.error(opts.abort.signal.reason);
            return;
          }
          if (!chunk) {
            done = true;
            await bill("complete");
            controller.close();
            return;
          }
          if (billing && chunk.samples > sent.samples) {
            // Audio past what was billed (the hold was lost meanwhile) is never sent.
            done = true;
            opts.abort.abort(new Error("the turn's credit hold was lost"));
            controller.error(new Error("The turn ended: its credit hold could not be kept."));
            return;
          }
          controller.enqueue(chunk.bytes);
          sent = { samples: chunk.samples, sampleRate: chunk.sampleRate };
          opts.onSent?.(sent);
        } catch (err) {
          if (done) {
            controller.error(err);
            return;
          }
          done = true;
          opts.log.error({ err }, "turn stream failed after streaming began");
          await bill("failed");
          controller.error(err);
        }
      },
      async cancel() {
        // Bill what was handed over before the client left; stop the TTS/LLM work at once.
        opts.abort.abort(new DOMException("client disconnected", "AbortError"));
        await bill("cancelled");
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { status: 200, headers: { "Content-Type": MUX_CONTENT_TYPE, "Cache-Control": "no-store", "X-Accel-Buffering": "no", ...opts.headers } });
}
