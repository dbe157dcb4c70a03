import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { allowedAcross, rateLimitContract } from "../testing/rate-limit-contract";
import { redisStore, type RateLimitStore } from "./rate-limit-store";
import { redisReady } from "./redis";

// The Redis adapter against a real Redis (TEST_REDIS_URL, default 127.0.0.1:6379; scripts/setup.sh
// starts one): each store gets its own connection, as each app instance has.
const url = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const connections: Redis[] = [];
const prefix = `tic-test:${randomBytes(4).toString("hex")}`;

// Ready first: a store whose connection is not up yet counts in the process (its insurance), which
// would pass the per-store tests without touching Redis.
async function open(): Promise<RateLimitStore> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  connections.push(redis);
  await redisReady(redis);
  return redisStore(redis, prefix);
}

afterAll(async () => {
  const keys = await connections[0]?.keys(`${prefix}:*`);
  if (keys?.length) await connections[0]!.del(...keys);
  for (const c of connections) c.disconnect();
});

describe("rate limits shared through Redis", () => {
  rateLimitContract(open);

  it("shares one limit between instances: two together allow what one does", async () => {
    expect(await allowedAcross([await open(), await open()], "shared", 4, 20)).toBe(4);
    expect(await connections[0]!.keys(`${prefix}:shared:*`)).not.toHaveLength(0);
  });

  it("counts in the process while Redis is unreachable, instead of refusing or hanging", async () => {
    const dead = new Redis("redis://127.0.0.1:1", { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, lazyConnect: true });
    connections.push(dead);
    const started = Date.now();
    expect(await allowedAcross([redisStore(dead, prefix)], "insured", 3, 5)).toBe(3);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
