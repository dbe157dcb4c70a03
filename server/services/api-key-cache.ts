import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { databaseKind, getEnv } from "../env";
import { logger } from "../logger";
import { processState } from "../process-state";
import { redisCommands, redisReady, redisSubscriber } from "./redis";

// API-key lookups are cached for API_KEY_CACHE_TTL_MS because one runs on every request. A revoked key
// or a suspended workspace must stop working on every app instance within a second, not after the
// TTL, so whoever makes such a change (any instance, the admin CLI) publishes an invalidation:
// through Redis pub/sub when REDIS_URL is set, else PostgreSQL NOTIFY. Each instance listens and
// drops what it names. The embedded PGlite serves one process, which drops its entries itself.
//
// The cache is trusted only while this process is listening: before the subscription is up, and
// after the connection drops (until it is back), every lookup goes to the database, and the cache is
// emptied, so a missed invalidation can never leave a revoked key cached. A lookup that was running
// while an invalidation arrived is not stored (the generation moved on): it may have read the row
// before the change committed.

/** What an invalidation drops: one key (by its hash), every key of a tenant, or everything. */
export type Invalidation = { keyHash: string } | { tenantId: string } | { all: true };

const REDIS_CHANNEL = "tic:api-key-cache";
const PG_CHANNEL = "tic_api_key_cache";
const MAX_ENTRIES = 10_000;

type Entry<V> = { value: V; at: number; tenantId?: string };
type Cache = { entries: Map<string, Entry<unknown>>; generation: number };
type Listener = { mode?: "redis" | "postgres" | "embedded"; listening: boolean; started: boolean; stop?: () => Promise<void> };

const cache = processState<Cache>("apiKeyCache", () => ({ entries: new Map(), generation: 0 }), (c) => {
  c.entries.clear();
  c.generation++;
});
const listener = processState<Listener>("apiKeyInvalidation", () => ({ listening: false, started: false }), async (l) => {
  const stop = l.stop;
  Object.assign(l, { listening: false, started: false, stop: undefined, mode: undefined });
  await stop?.();
});

/** Drops what `inv` names from this process's cache. */
export function dropCached(inv: Invalidation): void {
  cache.generation++;
  if ("all" in inv) cache.entries.clear();
  else if ("keyHash" in inv) cache.entries.delete(inv.keyHash);
  else for (const [hash, entry] of cache.entries) if (entry.tenantId === inv.tenantId) cache.entries.delete(hash);
}

/** The cached value of `hash`, or `load()`'s (stored while this process hears invalidations). */
export async function cachedLookup<V extends { tenant: { id: string } } | null>(hash: string, ttlMs: number, load: () => Promise<V>, now = Date.now()): Promise<V> {
  startApiKeyInvalidation();
  const trusted = listener.listening;
  const hit = trusted ? cache.entries.get(hash) : undefined;
  if (hit && now - hit.at <= ttlMs) return hit.value as V;
  const generation = cache.generation;
  const value = await load();
  if (listener.listening && generation === cache.generation && ttlMs > 0) {
    if (cache.entries.size >= MAX_ENTRIES) cache.entries.delete(cache.entries.keys().next().value!);
    cache.entries.set(hash, { value, at: now, tenantId: value?.tenant.id });
  }
  return value;
}

/**
 * Drops `inv` here and tells every other instance. The change it follows is already committed, so a
 * failure to publish is logged, not thrown: the other instances then drop the entry within the TTL.
 */
export async function invalidateApiKeys(db: Db, inv: Invalidation): Promise<void> {
  dropCached(inv);
  const payload = JSON.stringify(inv);
  try {
    const redis = redisCommands();
    if (redis) {
      await redisReady(redis);
      await redis.publish(REDIS_CHANNEL, payload);
    } else if (databaseKind(getEnv().DATABASE_URL) !== "pglite") {
      await db.execute(sql`select pg_notify(${PG_CHANNEL}, ${payload})`);
    }
  } catch (err) {
    logger.error({ err, invalidation: inv }, `could not tell other instances to drop a cached API key; they drop it within API_KEY_CACHE_TTL_MS`);
  }
}

function apply(payload: string) {
  try {
    const inv = JSON.parse(payload) as Invalidation;
    if (inv && typeof inv === "object" && ("all" in inv || typeof (inv as { keyHash?: unknown }).keyHash === "string" || typeof (inv as { tenantId?: unknown }).tenantId === "string")) {
      dropCached(inv);
      return;
    }
  } catch {
    // fall through: a message we cannot read might have named anything
  }
  dropCached({ all: true });
}

function setListening(on: boolean) {
  if (!on) dropCached({ all: true });
  listener.listening = on;
}

/** Starts listening for invalidations (once per process; idempotent). */
export function startApiKeyInvalidation(): void {
  if (listener.started) return;
  listener.started = true;
  const env = getEnv();
  if (env.REDIS_URL) return listenRedis();
  if (databaseKind(env.DATABASE_URL) === "pglite") {
    // One process holds the embedded database: every change to keys goes through its own cache.
    listener.mode = "embedded";
    listener.listening = true;
    return;
  }
  listenPostgres(env.DATABASE_URL!);
}

/** How this process hears invalidations, once started ("embedded": it is the only instance). */
export function apiKeyInvalidationMode(): Listener["mode"] {
  return listener.mode;
}

function listenRedis() {
  listener.mode = "redis";
  const sub = redisSubscriber()!;
  const subscribe = () =>
    sub.subscribe(REDIS_CHANNEL).then(
      () => setListening(true),
      (err: unknown) => logger.warn({ err }, "could not subscribe to API key invalidations"),
    );
  sub.on("message", (channel: string, message: string) => {
    if (channel === REDIS_CHANNEL) apply(message);
  });
  sub.on("close", () => setListening(false));
  // After a reconnect: subscribe again before trusting the cache (ioredis also resubscribes; twice is harmless).
  sub.on("ready", () => void subscribe());
  void subscribe();
  listener.stop = async () => {
    setListening(false);
  };
}

// LISTEN needs a session of its own, outside the pool. Neon's pooled endpoint (host "-pooler") runs
// PgBouncer in transaction mode, which drops LISTEN: the session goes to the direct endpoint.
function listenerUrl(url: string): string {
  const u = new URL(url);
  u.hostname = u.hostname.replace("-pooler.", ".");
  return u.toString();
}

function listenPostgres(url: string) {
  listener.mode = "postgres";
  let stopped = false;
  let client: import("pg").Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    const pg = (await import("pg")).default;
    const c = new pg.Client({ connectionString: listenerUrl(url), application_name: "tic-avatar-invalidation" });
    client = c;
    const lost = (err?: unknown) => {
      if (client !== c) return;
      client = undefined;
      setListening(false);
      c.end().catch(() => undefined);
      if (stopped) return;
      logger.warn({ err }, "API key invalidation listener lost its PostgreSQL session; reconnecting (keys are looked up uncached meanwhile)");
      retry = setTimeout(() => void connect(), 1_000);
      retry.unref();
    };
    c.on("error", lost);
    c.on("end", () => lost());
    c.on("notification", (m) => {
      if (m.channel === PG_CHANNEL) apply(m.payload ?? "");
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${PG_CHANNEL}`);
      if (client === c) setListening(true);
    } catch (err) {
      lost(err);
    }
  };
  void connect();
  listener.stop = async () => {
    stopped = true;
    clearTimeout(retry);
    const c = client;
    client = undefined;
    setListening(false);
    await c?.end().catch(() => undefined);
  };
}
