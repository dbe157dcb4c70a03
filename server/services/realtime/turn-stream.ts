import "server-only";
import type { Logger } from "pino";
import { MUX_CONTENT_TYPE } from "@/core/mux";
import type { TurnChunk } from "./turn-records";

export type StreamEnd = { samples: number; sampleRate: number; reason: "complete" | "cancelled" | "failed" };

/**
 * Wraps a turn's record generator as an HTTP body. Pull-based: the next batch is produced only when
 * the transport wants more, so at most one batch sits unsent. `onEnd` runs exactly once with the
 * audio actually handed to the transport: at the end of the stream, when the client goes away
 * (cancel), or when the generator fails.
 */
export function muxResponse(
  first: TurnChunk,
  rest: AsyncGenerator<TurnChunk>,
  opts: { abort: AbortController; onEnd: (end: StreamEnd) => Promise<void>; log: Logger; headers?: Record<string, string> },
): Response {
  let pendingFirst: TurnChunk | null = first;
  let sent = { samples: 0, sampleRate: first.sampleRate };
  let ended = false;
  const end = async (reason: StreamEnd["reason"]) => {
    if (ended) return;
    ended = true;
    await opts.onEnd({ ...sent, reason }).catch((err: unknown) => opts.log.error({ err }, "could not close the turn's reservation"));
  };
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const chunk = pendingFirst ?? (await rest.next()).value ?? null;
          pendingFirst = null;
          if (ended) return;
          if (!chunk) {
            await end("complete");
            controller.close();
            return;
          }
          controller.enqueue(chunk.bytes);
          sent = { samples: chunk.samples, sampleRate: chunk.sampleRate };
        } catch (err) {
          if (ended) return;
          opts.log.error({ err }, "turn stream failed after streaming began");
          await end("failed");
          controller.error(err);
        }
      },
      async cancel() {
        // Bill what was handed over before the client left; stop the TTS/LLM work at once.
        opts.abort.abort(new DOMException("client disconnected", "AbortError"));
        await end("cancelled");
        rest.return(undefined).catch(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { status: 200, headers: { "Content-Type": MUX_CONTENT_TYPE, "Cache-Control": "no-store", "X-Accel-Buffering": "no", ...opts.headers } });
}
