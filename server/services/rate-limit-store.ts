import "server-only";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import { logger } from "../logger";
import { processState } from "../process-state";
import { redisCommands } from "./redis";

// Where rate-limit counters live: in Redis when REDIS_URL is set, so every app instance charges the
// same counter (two instances together allow one limit), else in this process. Both are
// rate-limiter-flexible's fixed-window counters with the same interface, so a limit behaves alike in
// either; the Redis one updates its counter atomically (a Lua script) and, while Redis is
// unreachable, counts in this process (its insurance limiter) instead of refusing or waiting.

/** One fixed-window counter: `points` per `durationSeconds`. */
export type WindowSpec = { points: number; durationSeconds: number };

/** The counter for a named window, made once per store; the same name and spec give the same counter on every instance. */
export type CounterFactory = (name: string, spec: WindowSpec) => RateLimiterAbstract;

export type RateLimitStore = {
  kind: "redis" | "memory";
  counter: CounterFactory;
  /** Drops this store's counters whose name starts with `prefix` (their next use starts whole; tests). */
  forget: (prefix: string) => void;
};

function memoized(kind: RateLimitStore["kind"], make: CounterFactory): RateLimitStore {
  const made = new Map<string, RateLimiterAbstract>();
  return {
    kind,
    counter: (name, spec) => {
      const id = `${name}:${spec.points}/${spec.durationSeconds}`;
      let counter = made.get(id);
      if (!counter) made.set(id, (counter = make(name, spec)));
      return counter;
    },
    forget: (prefix) => {
      for (const id of made.keys()) if (id.startsWith(prefix)) made.delete(id);
    },
  };
}

/** Counters in this process only. */
export function memoryStore(): RateLimitStore {
  return memoized("memory", (name, spec) => new RateLimiterMemory({ keyPrefix: name, points: spec.points, duration: spec.durationSeconds }));
}

/** Counters in Redis (shared by every instance using it), with this process's counters while Redis is down. */
export function redisStore(redis: NonNullable<ReturnType<typeof redisCommands>>, prefix = "tic:rl"): RateLimitStore {
  return memoized(
    "redis",
    (name, spec) =>
      new RateLimiterRedis({
        storeClient: redis,
        // The spec is part of the key: a changed plan limit starts fresh counters instead of misreading old ones.
        keyPrefix: `${prefix}:${name}:${spec.points}/${spec.durationSeconds}`,
        points: spec.points,
        duration: spec.durationSeconds,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points: spec.points, duration: spec.durationSeconds }),
      }),
  );
}

const state = processState("rateBuckets", () => ({ store: undefined as RateLimitStore | undefined }), (s) => {
  s.store = undefined;
});

/** The process's store, chosen from REDIS_URL on first use (and said in the log). */
export function rateLimitStore(): RateLimitStore {
  if (state.store) return state.store;
  const redis = redisCommands();
  state.store = redis ? redisStore(redis) : memoryStore();
  logger.info(
    { rateLimits: state.store.kind },
    state.store.kind === "redis" ? "rate limits are shared through Redis (REDIS_URL)" : "rate limits are per process (REDIS_URL unset): each instance allows the full limit",
  );
  return state.store;
}

/** The counter for `name` and `spec` in the process's store. */
export function sharedCounter(name: string, spec: WindowSpec): RateLimiterAbstract {
  return rateLimitStore().counter(name, spec);
}

/** Drops this process's counters whose name starts with `prefix`. */
export function forgetCounters(prefix: string): void {
  state.store?.forget(prefix);
}
