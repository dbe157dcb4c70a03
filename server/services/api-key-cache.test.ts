import { beforeEach, describe, expect, it, vi } from "vitest";
import { resetProcessState } from "../process-state";
import { cachedLookup, dropCached } from "./api-key-cache";

// The embedded database's process (DATABASE_URL and REDIS_URL unset): the only instance, so it listens from the start.
vi.hoisted(() => {
  delete process.env.DATABASE_URL;
  delete process.env.REDIS_URL;
  process.env.LOG_LEVEL ??= "silent";
});

const key = (tenantId: string) => ({ tenant: { id: tenantId } });

beforeEach(() => resetProcessState());

describe("API key cache", () => {
  it("serves a lookup from the cache within the TTL, and from the database after it", async () => {
    const load = vi.fn(async () => key("ten_a"));
    await cachedLookup("h1", 5_000, load, 1_000);
    await cachedLookup("h1", 5_000, load, 5_000);
    expect(load).toHaveBeenCalledTimes(1);
    await cachedLookup("h1", 5_000, load, 7_000);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("drops one key, or every key of a tenant, when told", async () => {
    const load = vi.fn(async () => key("ten_a"));
    const other = vi.fn(async () => key("ten_b"));
    await cachedLookup("a1", 60_000, load);
    await cachedLookup("a2", 60_000, load);
    await cachedLookup("b1", 60_000, other);
    dropCached({ keyHash: "a1" });
    await cachedLookup("a1", 60_000, load);
    expect(load).toHaveBeenCalledTimes(3);
    dropCached({ tenantId: "ten_a" });
    await cachedLookup("a1", 60_000, load);
    await cachedLookup("a2", 60_000, load);
    await cachedLookup("b1", 60_000, other);
    expect(load).toHaveBeenCalledTimes(5);
    expect(other).toHaveBeenCalledTimes(1);
  });

  it("does not store a lookup that was running when an invalidation arrived (it may predate the change)", async () => {
    let finish!: (v: ReturnType<typeof key>) => void;
    const slow = cachedLookup("h", 60_000, () => new Promise<ReturnType<typeof key> | null>((r) => (finish = r)));
    dropCached({ keyHash: "h" });
    finish(key("ten_a"));
    await slow;
    const load = vi.fn(async () => null);
    expect(await cachedLookup("h", 60_000, load)).toBeNull();
    expect(load).toHaveBeenCalledTimes(1);
  });
});
