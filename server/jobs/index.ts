import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { getEnv } from "../env";
import { logger } from "../logger";
import { processState } from "../process-state";
import type { JobData, JobType } from "./job-types";
import { findJob, QUEUE_SCHEMA, sendJob, stopJobQueue, type JobView, type SendOptions } from "./queue";
import type { RunningWorker } from "./worker";

export { jobIdFor, failureMessage } from "./queue";
export type { JobView };

// The face of server/jobs for callers: queue a job, wait for one, and the in-process worker that
// `tic-avatar serve` (and any process that queues work) runs unless JOBS_IN_PROCESS=false.

const local = processState("jobWorkers", () => new Map<Db, Promise<RunningWorker>>(), async (workers) => {
  const all = [...workers.values()];
  workers.clear();
  for (const w of all) await (await w.catch(() => undefined))?.stop(5_000);
});

/**
 * Starts this process's worker on `db` once (all job types, `concurrency` or JOBS_CONCURRENCY at a
 * time); later calls answer the same worker, so a job queued by a job (a lipsync render registering a
 * portrait) never starts a second one.
 */
export function ensureLocalWorker(db: Db, options: { concurrency?: number } = {}): Promise<RunningWorker> {
  let worker = local.get(db);
  if (!worker) {
    worker = (async () => {
      const [{ startWorker }, { allJobHandlers }] = await Promise.all([import("./worker"), import("./handlers")]);
      return startWorker(db, { handlers: allJobHandlers(), concurrency: options.concurrency });
    })();
    worker.catch((err: unknown) => {
      logger.error({ err }, "could not start the in-process job worker");
      local.delete(db);
    });
    local.set(db, worker);
  }
  return worker;
}

/** Queues a job (see sendJob); this process works on it too unless JOBS_IN_PROCESS=false. */
export async function enqueue<T extends JobType>(db: Db, type: T, data: JobData<T>, options: SendOptions = {}): Promise<string> {
  if (getEnv().JOBS_IN_PROCESS) void ensureLocalWorker(db).catch(() => undefined);
  return sendJob(db, type, data, options);
}

/** Resolves with the job once it has completed or failed; rejects with `signal`'s reason when that aborts first (the job runs on). */
export async function waitForJob(db: Db, type: JobType, id: string, signal?: AbortSignal, pollMs = 200): Promise<JobView> {
  for (;;) {
    signal?.throwIfAborted();
    const job = await findJob(db, type, id);
    if (job && (job.state === "completed" || job.state === "failed" || job.state === "cancelled")) return job;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, pollMs);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      }
      signal?.addEventListener("abort", done, { once: true });
    });
  }
}

/**
 * Waits until `db` holds no job that is queued or running (at most `timeoutMs`), then stops this
 * process's worker and queue on it. Whoever closes a database that jobs write to calls this first.
 * A webhook's next attempt planned for later is not waited for: its delivery row keeps it, and the
 * next process that runs a worker on the database takes it when due.
 */
export async function jobsSettled(db: Db, timeoutMs = 60_000): Promise<void> {
  const worker = local.get(db);
  if (!worker) return;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = await db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${QUEUE_SCHEMA}.job where state < 'completed' and not (name = 'webhook-delivery' and state = 'created' and start_after > now())`));
    const n = (rows as unknown as { rows?: { n: number }[] }).rows?.[0]?.n ?? (rows as unknown as { n: number }[])[0]?.n ?? 0;
    if (n === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  local.delete(db);
  await (await worker.catch(() => undefined))?.stop(5_000);
  await stopJobQueue(db);
}
