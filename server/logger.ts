import "server-only";
import pino from "pino";
import { logLevel } from "./env";
import { serializeError } from "./redact-query-errors";

type LogTap = (line: string) => void;
let tap: LogTap | null = null;

// One JSON object per line on stdout; request-scoped children carry `requestId`.
export const logger = pino({
  level: logLevel(),
  base: { service: "tic-avatar" },
  timestamp: pino.stdTimeFunctions.isoTime,
  // Failed queries are logged without their parameters and row values (customer data).
  serializers: { err: serializeError },
  redact: { paths: ["password", "*.password", "apiKey", "*.apiKey", "authorization", "*.authorization"], censor: "[redacted]" },
  // A tapped line goes to the tap instead of stdout (server/testing/capture-logs.ts reads what was logged).
  hooks: { streamWrite: (line) => (tap ? (tap(line), "") : line) },
});

/** A child logger bound to one request id. */
export function requestLogger(requestId: string) {
  return logger.child({ requestId });
}

/** Sends every log line to `next` instead of stdout (null: back to stdout); returns the previous tap. */
export function setLogTap(next: LogTap | null): LogTap | null {
  const previous = tap;
  tap = next;
  return previous;
}
