import "server-only";
import { getDb } from "@/server/db/client";
import { logger } from "@/server/logger";
import { processState } from "@/server/process-state";
import { beat, endedAmong } from "../sessions";
import type { LiveConnection } from "./connection";

// The sessions whose sockets this process holds. Their state lives in the database, so another
// instance ends one by writing its row (POST …/end); this process notices by watching the rows of
// its open sessions — one query for all of them every POLL_MS — and stamps their heartbeat so a
// crashed instance's sessions can be told apart from live ones (sessions.ts sweepDeadSessions).

export const POLL_MS = 500;
export const HEARTBEAT_MS = 10_000;
/** An end at shutdown waits at most this long for the sessions to write their rows. */
const SHUTDOWN_MS = 4_000;

type Registry = { open: Map<string, LiveConnection>; timer: NodeJS.Timeout | undefined; lastBeat: number; polling: boolean };

function registry(): Registry {
  return processState<Registry>(
    "liveSessions",
    () => ({ open: new Map(), timer: undefined, lastBeat: 0, polling: false }),
    async (r) => {
      await endAllSessions("server_shutdown");
      clearInterval(r.timer);
      r.timer = undefined;
    },
  );
}

/** Holds a connected session until it ends. */
export function holdSession(conn: LiveConnection): void {
  const r = registry();
  r.open.set(conn.id, conn);
  r.timer ??= setInterval(() => void poll(r), POLL_MS);
}

/** Forgets an ended session; the watch stops with the last one. */
export function releaseSession(id: string): void {
  const r = registry();
  r.open.delete(id);
  if (r.open.size === 0 && r.timer) {
    clearInterval(r.timer);
    r.timer = undefined;
  }
}

/** Sessions open in this process now. */
export function openSessionCount(): number {
  return registry().open.size;
}

async function poll(r: Registry): Promise<void> {
  if (r.polling || r.open.size === 0) return;
  r.polling = true;
  try {
    const db = await getDb();
    const ids = [...r.open.keys()];
    for (const ended of await endedAmong(db, ids)) void r.open.get(ended.id)?.end(ended.endReason ?? "ended_by_api");
    if (Date.now() - r.lastBeat >= HEARTBEAT_MS) {
      r.lastBeat = Date.now();
      await beat(db, [...r.open.keys()]);
    }
  } catch (error) {
    logger.warn({ err: error }, "live sessions: could not read the rows of open sessions");
  } finally {
    r.polling = false;
  }
}

/** Ends every session this process holds (shutdown), waiting a bounded time for their rows. */
export async function endAllSessions(reason: "server_shutdown" = "server_shutdown"): Promise<void> {
  const ends = [...registry().open.values()].map((c) => c.end(reason));
  if (!ends.length) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(ends), new Promise((done) => (timer = setTimeout(done, SHUTDOWN_MS)))]);
  clearTimeout(timer);
}
