import "server-only";

// Every value a server process keeps between requests lives here, under one of these names, created by
// the module that uses it on first use. Kept on globalThis: Next.js may evaluate a module once per
// route bundle, and dev reloads evaluate modules again, but each of these must be one per process.
// Values are containers (a Map, an object with a field), so a module may hold on to the reference;
// resetProcessState() returns each to its first state in place.

/** The process-wide values and how long each lives. */
export type ProcessStateName =
  /** The database handle: opened by the first getDb(), held until exit; an embedded one is shared with local processes meanwhile. */
  | "db"
  /** Decoded source-video loops per (video cache, size), a few at most (server/services/video-avatars/loop-frames.ts). */
  | "videoLoops"
  /** API key lookups (hit or miss), each trusted for API_KEY_CACHE_TTL_MS; a revocation or suspension anywhere drops them (server/services/api-key-cache.ts). */
  | "apiKeyCache"
  /** When each key's last_used_at was last written: at most once a minute per key. */
  | "apiKeyTouched"
  /** Rate-limit counters (server/services/rate-limit-store.ts): in this process, or only their in-process fallback when REDIS_URL shares them. */
  | "rateBuckets"
  /** The Redis connections REDIS_URL names (commands, subscriber): opened on first use, closed at exit. */
  | "redis"
  /** The API-key cache invalidation listener (Redis pub/sub or PostgreSQL LISTEN): started with the instance (or its first key lookup), until exit. */
  | "apiKeyInvalidation"
  /** The expired-hold sweeper's timer: started by the first API request, runs (unref'd) until exit. */
  | "sweeper"
  /** onnxruntime sessions of the viseme model, per file and thread count: loaded once, kept until exit. */
  | "visemeRunners"
  /** The Silero VAD onnxruntime session of the turn detector: loaded once, kept until exit (a failed load is retried). */
  | "vadModel"
  /** The embedded recogniser's long-lived pocketsphinx processes: started on first use, stopped by the reset. */
  | "sttEngine"
  /** Whether the TTS engine has answered once; forgotten after a failure so a fixed install is retried. */
  | "ttsReady"
  /** Compiled rigs of prepared avatars, least recently used dropped past 64. */
  | "rigCache"
  /** The public demo's per-address limit for turns (counted in the rate-limit store) and its places for turns running now. */
  | "demoLimits"
  /** The public demo's per-address limit for portraits (counted in the rate-limit store), its one build place and its rig cache by image hash. */
  | "demoPrepareLimits"
  /** The secret this process stamps on each request's peer address (x-tic-peer): made once, kept until exit. */
  | "peerSecret"
  /** The job queue (pg-boss) of each open database and the workers this process runs on it: stopped with the database. */
  | "jobs"
  /** The job worker this process runs on each database (JOBS_IN_PROCESS): stopped before its queue. */
  | "jobWorkers"
  /** The object storage STORAGE_DIR or S3_* select, built on first use from the environment. */
  | "storage"
  /** Live session sockets this process holds, and the timer that watches their rows (REST ends, heartbeats): until each ends. */
  | "liveSessions";

type Entry = { value: unknown; reset?: (value: unknown) => void | Promise<void> };

const store = ((globalThis as { ticProcessState?: Map<ProcessStateName, Entry> }).ticProcessState ??= new Map());

/** The process-wide value `name`, created on first use; `reset` returns it to its first state (tests). */
export function processState<T>(name: ProcessStateName, create: () => T, reset?: (value: T) => void | Promise<void>): T {
  let entry = store.get(name);
  if (!entry) {
    entry = { value: create(), reset: reset as Entry["reset"] };
    store.set(name, entry);
  }
  return entry.value as T;
}

/** Returns every process-wide value to its first state: timers stopped, caches emptied, the database closed last (tests). */
export async function resetProcessState(): Promise<void> {
  const names = [...store.keys()].sort((a, b) => Number(a === "db") - Number(b === "db"));
  for (const name of names) {
    const entry = store.get(name)!;
    await entry.reset?.(entry.value);
  }
}
