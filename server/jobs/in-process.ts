import "server-only";
import { getDb } from "../db/client";
import { getEnv } from "../env";
import { logger } from "../logger";
import { ensureLocalWorker } from ".";

/** The server's own worker at start-up, unless JOBS_IN_PROCESS=false (workers run as `tic-avatar worker`). */
export async function startInProcessWorker(): Promise<void> {
  if (!getEnv().JOBS_IN_PROCESS) {
    logger.info("in-process job worker off (JOBS_IN_PROCESS=false): jobs wait for `tic-avatar worker`");
    return;
  }
  // Not awaited: the database may still be opening; requests need not wait for the worker.
  void getDb()
    .then((db) => ensureLocalWorker(db))
    .catch((err: unknown) => logger.error({ err }, "could not start the in-process job worker"));
}
