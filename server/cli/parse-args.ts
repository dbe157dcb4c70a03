import "server-only";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliUsageError } from "./command";

/** node:util parseArgs for every command: unknown or ambiguous options become usage errors (exit 2), not crashes. */
export function parseCliArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

/** A whole-number option value within [lo, hi], or a usage error naming the option. */
export function wholeNumber(name: string, value: string, lo: number, hi: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < lo || n > hi) throw new CliUsageError(`${name} must be a whole number from ${lo} to ${hi}, got "${value}"`);
  return n;
}
