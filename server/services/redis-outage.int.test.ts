import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetProcessState } from "../process-state";
import { cachedLookup } from "./api-key-cache";
import { RateLimit } from "./rate-limit";
import { rateLimitStore } from "./rate-limit-store";

// An instance whose Redis goes away and comes back (a private redis-server, so the shared one other
// suites use is left alone): it neither hangs nor refuses meanwhile, never trusts a cache it could
// not hear invalidations for, and is back on Redis once Redis is.

const PORT = 20_000 + Math.floor(Math.random() * 20_000);
vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
  delete process.env.DATABASE_URL;
});
process.env.REDIS_URL = `redis://127.0.0.1:${PORT}`;

let redis: ChildProcess | undefined;
async function startRedis() {
  redis = spawn("redis-server", ["--port", String(PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const probe = new Redis(PORT, "127.0.0.1", { retryStrategy: () => 50, maxRetriesPerRequest: null });
  probe.on("error", () => undefined); // refused until the server is up
  await probe.ping();
  probe.disconnect();
}
async function stopRedis() {
  redis?.kill("SIGKILL");
  if (redis) await once(redis, "exit");
  redis = undefined;
}
const until = async (check: () => Promise<boolean>, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeAll(startRedis);
afterAll(async () => {
  await resetProcessState();
  await stopRedis();
});

describe("an instance whose Redis goes away and comes back", () => {
  const value = { tenant: { id: "ten_x" } };

  it("caches key lookups only while it hears invalidations", async () => {
    const load = vi.fn(async () => value);
    // Subscribed once a lookup has been cached (the first lookups may precede the subscription).
    await until(async () => {
      const before = load.mock.calls.length;
      await cachedLookup("k", 60_000, load);
      await cachedLookup("k", 60_000, load);
      return load.mock.calls.length === before + 1 || load.mock.calls.length === before;
    });
    const publisher = new Redis(PORT, "127.0.0.1");
    const calls = load.mock.calls.length;
    await publisher.publish("tic:api-key-cache", JSON.stringify({ keyHash: "k" }));
    await until(async () => {
      await cachedLookup("k", 60_000, load);
      return load.mock.calls.length > calls;
    });
    publisher.disconnect();

    await stopRedis();
    // Deaf now: every lookup goes to the database, however fresh its entry.
    await until(async () => {
      const n = load.mock.calls.length;
      await cachedLookup("k", 60_000, load);
      await cachedLookup("k", 60_000, load);
      return load.mock.calls.length === n + 2;
    });

    await startRedis();
    await until(async () => {
      const n = load.mock.calls.length;
      await cachedLookup("k", 60_000, load);
      await cachedLookup("k", 60_000, load);
      return load.mock.calls.length <= n + 1;
    });
  });

  it("keeps limiting in the process while Redis is down, without waiting on it, then counts in Redis again", async () => {
    expect(rateLimitStore().kind).toBe("redis");
    await stopRedis();
    const limit = new RateLimit(`outage-${PORT}`, { perSecond: 1 / 600, burst: 3 });
    const started = Date.now();
    const allowed = [];
    for (let i = 0; i < 5; i++) allowed.push((await limit.take("id")).allowed);
    expect(allowed).toEqual([true, true, true, false, false]);
    expect(Date.now() - started).toBeLessThan(1_000);
    await startRedis();
    const check = new Redis(PORT, "127.0.0.1");
    await until(async () => {
      await limit.take("other");
      return (await check.keys(`tic:rl:outage-${PORT}*`)).length > 0;
    });
    check.disconnect();
  });
});
