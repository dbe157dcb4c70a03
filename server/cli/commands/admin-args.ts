import "server-only";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliUsageError } from "../command";

/** parseArgs for admin subcommands: unknown or ambiguous options become usage errors (exit 2), not crashes. */
export function parseAdminArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}
