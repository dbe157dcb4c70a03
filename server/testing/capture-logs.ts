import "server-only";
import { logger, setLogTap } from "../logger";

export type LogLine = { level: number; msg: string; [field: string]: unknown };

/** Collects what the server logs (at `level` and above) until `stop()`; the raw text is kept for leak checks. */
export function captureLogs(level = "debug") {
  const lines: LogLine[] = [];
  let raw = "";
  const previousLevel = logger.level;
  logger.level = level; // request loggers created from now on inherit it
  const previousTap = setLogTap((line) => {
    raw += line;
    lines.push(JSON.parse(line) as LogLine);
  });
  return {
    lines,
    raw: () => raw,
    stop() {
      setLogTap(previousTap);
      logger.level = previousLevel;
    },
  };
}
