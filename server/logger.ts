import "server-only";
import pino from "pino";

// One JSON object per line on stdout; request-scoped children carry `requestId`.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "tic-avatar" },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: { paths: ["password", "*.password", "apiKey", "*.apiKey", "authorization", "*.authorization"], censor: "[redacted]" },
});

/** A child logger bound to one request id. */
export function requestLogger(requestId: string) {
  return logger.child({ requestId });
}
