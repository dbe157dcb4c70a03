import "server-only";
import { Redis } from "ioredis";
import { getEnv } from "../env";
import { logger } from "../logger";
import { processState } from "../process-state";

// REDIS_URL is the state several app instances share: rate-limit counters and API-key cache
// invalidations. Two connections, because a connection that has subscribed can run nothing else.
// Neither queues commands while disconnected: a caller with a fallback (the limiter's in-process
// insurance, the cache bypass) takes it at once rather than waiting on a reconnect.

type Connections = { commands?: Redis; subscriber?: Redis };

const state = processState<Connections>("redis", () => ({}), async (c) => {
  const open = [c.commands, c.subscriber].filter((r): r is Redis => r !== undefined);
  c.commands = undefined;
  c.subscriber = undefined;
  await Promise.all(open.map((r) => r.quit().catch(() => r.disconnect())));
});

/** Whether REDIS_URL makes limits and invalidations shared across instances. */
export function redisConfigured(): boolean {
  return getEnv().REDIS_URL !== undefined;
}

function connect(role: keyof Connections, url: string): Redis {
  const redis = new Redis(url, {
    connectionName: `tic-avatar-${role}`,
    // Requests must not hang on a dead Redis: one retry, and commands fail fast while disconnected.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: role === "subscriber",
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  let down = false;
  redis.on("error", (err: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: { message: err.message }, role }, "redis unreachable; limits fall back to this process until it is back");
  });
  redis.on("ready", () => {
    if (down) logger.info({ role }, "redis reachable again");
    down = false;
  });
  return redis;
}

/** The command connection (undefined without REDIS_URL). */
export function redisCommands(): Redis | undefined {
  const url = getEnv().REDIS_URL;
  if (!url) return undefined;
  return (state.commands ??= connect("commands", url));
}

/** The subscriber connection (undefined without REDIS_URL); used only to SUBSCRIBE. */
export function redisSubscriber(): Redis | undefined {
  const url = getEnv().REDIS_URL;
  if (!url) return undefined;
  return (state.subscriber ??= connect("subscriber", url));
}

/** Resolves once the command connection is ready (or rejects after `timeoutMs`): for short-lived processes that publish once. */
export async function redisReady(redis: Redis, timeoutMs = 2_000): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      reject(new Error(`redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once("ready", onReady);
  });
}
