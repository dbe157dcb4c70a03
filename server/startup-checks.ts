import "server-only";
import { getEnv, sessionSecret } from "./env";
import { logger } from "./logger";

// Configuration is checked before the first request: a missing or invalid variable stops
// start-up with a message naming it, instead of failing later inside some request.
try {
  sessionSecret(getEnv());
} catch (error) {
  logger.fatal({ err: error }, "invalid configuration");
  process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n\n`);
  process.exit(1);
}
