import "server-only";
import type { Logger } from "pino";
import { MUX_CONTENT_TYPE, muxStream, type MuxChunk, type MuxStreamHooks } from "@/core/mux";

/**
 * A turn's HTTP answer: its mux body pulled from its records (core/mux/mux-stream.ts: produced as the
 * transport drains, closed once with the audio handed over), never cached or buffered by a proxy.
 */
export function muxResponse(first: MuxChunk, rest: AsyncGenerator<MuxChunk>, opts: Omit<MuxStreamHooks, "onError"> & { log: Logger; headers?: Record<string, string> }): Response {
  const { log, headers, ...hooks } = opts;
  const body = muxStream(rest, { ...hooks, onError: (err, what) => log.error({ err }, what) }, first);
  return new Response(body, { status: 200, headers: { "Content-Type": MUX_CONTENT_TYPE, "Cache-Control": "no-store", "X-Accel-Buffering": "no", ...headers } });
}
