import "server-only";
import pino from "pino";
import { logLevel } from "./env";

// One JSON object per line on stdout; request-scoped children carry `requestId`.
export const logger = pino({
  level: logLevel(),
  base: { service: "tic-avatar" },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: { paths: ["password", "*.password", "apiKey", "*.apiKey", "authorization", "*.authorization"], censor: "[redacted]" },
});

/** A child logger bound to one request id. */
export function requestLogger(requestId: string) {
  return logger.child({ requestId });
}
