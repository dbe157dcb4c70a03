import "server-only";
import type { Logger } from "pino";

// Node's error when the client drops the connection while its body is read (IncomingMessage "aborted").
const BODY_ABORT_CODES = new Set(["ECONNRESET", "ERR_STREAM_PREMATURE_CLOSE"]);

/**
 * True when a failure is the client going away rather than a server fault: the request's signal has
 * aborted (Next.js aborts it when the connection closes), the work was cancelled with an AbortError,
 * or reading the request body failed because the connection was reset.
 */
export function isClientAbort(error: unknown, signal?: AbortSignal | null): boolean {
  if (signal?.aborted) return true;
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, code, message } = e as { name?: unknown; code?: unknown; message?: unknown };
    if (name === "AbortError" || name === "ResponseAborted") return true;
    if (typeof code === "string" && BODY_ABORT_CODES.has(code) && message === "aborted") return true;
  }
  return false;
}

/** Logs an unexpected failure: as "client disconnected" at info when the client went away, else as `message` at error. */
export function logUnexpected(log: Logger, error: unknown, signal: AbortSignal | null | undefined, message: string): "client_gone" | "fault" {
  if (isClientAbort(error, signal)) {
    log.info({ reason: error instanceof Error ? error.message : String(error) }, "client disconnected");
    return "client_gone";
  }
  log.error({ err: error }, message);
  return "fault";
}
