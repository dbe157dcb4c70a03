import "server-only";
import { logger } from "../logger";
import { apiKeyInvalidationMode, startApiKeyInvalidation } from "./api-key-cache";
import { rateLimitStore } from "./rate-limit-store";
import { redisCommands, redisReady } from "./redis";

// What an app instance shares with the others (docs/deployment.md), set up when it starts rather than
// on the first request: the rate-limit store (said in the log: shared through Redis, or per process)
// and the API-key invalidation listener.

/** Chooses the rate-limit store, starts hearing key invalidations and waits (briefly) for Redis. */
export async function startInstanceState(): Promise<void> {
  const store = rateLimitStore();
  startApiKeyInvalidation();
  const redis = redisCommands();
  if (redis) {
    await redisReady(redis, 5_000).catch((err: unknown) =>
      logger.warn({ err }, "redis is not reachable at start-up; limits count in this process until it is"),
    );
  }
  logger.info({ rateLimits: store.kind, keyInvalidation: apiKeyInvalidationMode() }, "instance state ready");
}
