import "server-only";
import type { Db } from "../db/client";
import { logger } from "../logger";
import { processState } from "../process-state";
import { sweepExpiredReservations } from "../services/credits/hold-lifetime";
import { purgeExpiredIdempotencyKeys } from "./idempotency";

// Periodic housekeeping of the API process: closes expired credit holds (a crashed server's
// reservations, charged for the usage their last heartbeat recorded) and purges idempotency keys past retention. Started on the first API request so
// every process that serves /api/v1 sweeps; several processes sweeping at once is safe.

const sweeper = processState(
  "sweeper",
  () => ({ timer: undefined as NodeJS.Timeout | undefined }),
  (s) => {
    clearInterval(s.timer);
    s.timer = undefined;
  },
);

/** One sweep pass; returns what it released/purged (also used by tests and the CLI). */
export async function runSweep(db: Db) {
  const released = await sweepExpiredReservations(db);
  const purged = await purgeExpiredIdempotencyKeys(db);
  if (released || purged) logger.info({ released, purged }, "sweeper released expired holds");
  return { released, purged };
}

/** Starts the sweeper once per process (unref'd: it never keeps the process alive). */
export function ensureSweeper(db: Db, intervalMs: number): void {
  if (sweeper.timer) return;
  sweeper.timer = setInterval(() => {
    runSweep(db).catch((err: unknown) => logger.error({ err }, "sweeper pass failed"));
  }, intervalMs);
  sweeper.timer.unref();
}
