import "server-only";
import { createHash, randomUUID } from "node:crypto";
import PgBoss from "pg-boss";
import type { Db } from "../db/client";
import { getEnv } from "../env";
import { logger } from "../logger";
import { processState } from "../process-state";
import { sqlRunnerOf } from "./sql-adapter";
import { DEAD_LETTER, JOB_TYPES, RETRY_LIMIT, type JobData, type JobType } from "./job-types";

// The one durable queue (pg-boss on the app's own database: PostgreSQL, Neon or the embedded PGlite;
// why pg-boss: docs/deployment.md). Every caller sends through here; workers (worker.ts) take jobs
// in any process that shares the database.

export const QUEUE_SCHEMA = "pgboss";

type Queues = { open: Map<Db, Promise<PgBoss>>; wake: Set<() => void> };

const state = processState<Queues>("jobs", () => ({ open: new Map(), wake: new Set() }), async (s) => {
  const open = [...s.open.values()];
  s.open.clear();
  for (const boss of open) await (await boss.catch(() => undefined))?.stop({ graceful: false, close: false, wait: true });
});

/** The started queue on `db` (installs or migrates pg-boss's schema on first use). */
export function jobQueue(db: Db): Promise<PgBoss> {
  let open = state.open.get(db);
  if (!open) {
    open = startQueue(db).catch((error: unknown) => {
      state.open.delete(db);
      throw error;
    });
    state.open.set(db, open);
  }
  return open;
}

async function startQueue(db: Db): Promise<PgBoss> {
  const env = getEnv();
  const boss = new PgBoss({
    db: sqlRunnerOf(db) as PgBoss.Db,
    schema: QUEUE_SCHEMA,
    // Maintenance expires jobs whose lease ran out (a killed worker) and archives old ones; any
    // instance may run it, pg-boss lets one per interval do so.
    supervise: true,
    schedule: false,
    maintenanceIntervalSeconds: env.JOBS_SWEEP_SECONDS,
  });
  boss.on("error", (err) => logger.warn({ err }, "job queue maintenance failed"));
  await boss.start();
  for (const type of JOB_TYPES) {
    await boss.createQueue(deadLetterOf(type));
    await boss.createQueue(type, { name: type, deadLetter: deadLetterOf(type) });
  }
  return boss;
}

/** The queue that receives `type`'s jobs once they have failed for good. */
export function deadLetterOf(type: JobType): string {
  return `${type}-${DEAD_LETTER}`;
}

/** A job id that is the same for the same `parts`: sending it twice makes one job. */
export function jobIdFor(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `startAfter`: the job is not taken before then (a webhook's next attempt). */
export type SendOptions = { id?: string; startAfter?: Date };

/**
 * Queues a job and returns its id. With `id`, a job of that id that exists already (queued, running
 * or finished within retention) is the answer: the second send joins the first.
 */
export async function sendJob<T extends JobType>(db: Db, type: T, data: JobData<T>, options: SendOptions = {}): Promise<string> {
  const env = getEnv();
  const boss = await jobQueue(db);
  const id = options.id ?? randomUUID();
  await boss.send(type, data as object, {
    id,
    retryLimit: RETRY_LIMIT[type],
    retryDelay: env.JOBS_RETRY_DELAY_SECONDS,
    retryBackoff: env.JOBS_RETRY_DELAY_SECONDS > 0,
    // The lease: workers renew it while the job runs (worker.ts), so it bounds only a dead worker's hold.
    expireInSeconds: env.JOBS_LEASE_SECONDS,
    deadLetter: deadLetterOf(type),
    ...(options.startAfter ? { startAfter: options.startAfter } : {}),
  });
  for (const wake of state.wake) wake(); // a worker in this process starts at once instead of at its next poll
  return id;
}

/** Lets a worker in this process hear of jobs sent here; returns the unsubscribe. */
export function onJobSent(wake: () => void): () => void {
  state.wake.add(wake);
  return () => state.wake.delete(wake);
}

export type JobView = { id: string; type: string; state: string; attempts: number; output: unknown; createdOn: Date; completedOn: Date | null };

/** One job (live or archived), or null. */
export async function findJob(db: Db, type: JobType, id: string): Promise<JobView | null> {
  const job = await (await jobQueue(db)).getJobById(type, id, { includeArchive: true });
  if (!job) return null;
  return { id: job.id, type: job.name, state: job.state, attempts: job.retryCount + 1, output: job.output, createdOn: job.createdOn, completedOn: job.completedOn };
}

/** The failure message pg-boss stored as a job's output (a thrown error's, or its lease expiry's). */
export function failureMessage(output: unknown): string {
  const o = output as { message?: unknown; value?: { message?: unknown } } | null;
  const message = typeof o?.message === "string" ? o.message : typeof o?.value?.message === "string" ? o.value.message : "the job failed";
  return message.slice(0, 500);
}

/** Stops this process's queue on `db` (its workers first, see worker.ts); the next send starts it again. */
export async function stopJobQueue(db: Db): Promise<void> {
  const open = state.open.get(db);
  state.open.delete(db);
  await (await open?.catch(() => undefined))?.stop({ graceful: false, close: false, wait: true });
}
