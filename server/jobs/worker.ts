import "server-only";
import type PgBoss from "pg-boss";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { getEnv } from "../env";
import { logger } from "../logger";
import { JOB_DATA, type JobData, type JobType } from "./job-types";
import { deadLetterOf, failureMessage, jobQueue, onJobSent, QUEUE_SCHEMA } from "./queue";
import { sqlRunnerOf } from "./sql-adapter";

/** What one attempt of a job knows about itself. */
export type JobContext = { jobId: string; attempt: number; final: boolean; signal: AbortSignal };

/**
 * How one kind of job is done. `run` must be idempotent: an attempt may be cut off at any point
 * (SIGKILL, lost lease) and run again, and two runs must leave one result and one charge. Its
 * return value is stored as the job's output. `failed` runs once the job has failed for good
 * (retries spent, or its last attempt's worker died): it marks what the job was for as failed.
 */
export type JobHandler<T extends JobType> = {
  run: (db: Db, data: JobData<T>, ctx: JobContext) => Promise<unknown>;
  failed: (db: Db, data: JobData<T>, reason: string) => Promise<void>;
};
export type JobHandlers = { [T in JobType]?: JobHandler<T> };

/**
 * Thrown by a handler when retrying cannot change the outcome (a webhook out of attempts): the job
 * ends `failed` with this message now instead of after its retries.
 */
export class JobFailedForGood extends Error {}

export type RunningWorker = { stop: (graceMs?: number) => Promise<void>; running: () => number };

type Fetched = PgBoss.JobWithMetadata<unknown>;

/** Takes jobs of every type in `handlers` from `db`, `concurrency` at a time, until stopped. */
export async function startWorker(db: Db, options: { handlers: JobHandlers; concurrency?: number }): Promise<RunningWorker> {
  const env = getEnv();
  const boss = await jobQueue(db);
  const runner = sqlRunnerOf(db);
  const types = Object.keys(options.handlers) as JobType[];
  const leaseMs = env.JOBS_LEASE_SECONDS * 1000;
  let stopping = false;
  const naps = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of [...naps]) wake();
  };
  const inFlight = new Map<string, Promise<void>>();
  const unsubscribe = onJobSent(wakeAll);

  async function next(): Promise<{ queue: string; type: JobType; job: Fetched; dead: boolean } | null> {
    for (const type of types) {
      for (const [queue, dead] of [[type, false], [deadLetterOf(type), true]] as const) {
        const [job] = await boss.fetch<unknown>(queue, { batchSize: 1, includeMetadata: true });
        if (job) return { queue, type, job, dead };
      }
    }
    return null;
  }

  async function attempt(queue: string, type: JobType, job: Fetched): Promise<void> {
    const handler = options.handlers[type] as JobHandler<JobType>;
    const abort = new AbortController();
    let lost = false;
    // The lease: pg-boss fails (and retries) an active job once `expireInSeconds` pass after its
    // start; pushing the start forward while this process lives keeps a long job ours, and a killed
    // process stops pushing, so its job is taken again one lease (plus one sweep) later.
    const renew = setInterval(() => {
      runner
        .executeSql(`update ${QUEUE_SCHEMA}.job set started_on = now() where name = $1 and id = $2 and state = 'active' returning id`, [queue, job.id])
        .then(({ rows }) => {
          if (rows.length === 0 && !lost) {
            lost = true;
            abort.abort(new AppError("conflict", "the job's lease was lost (it ran past it without renewing); another attempt owns it"));
          }
        })
        .catch((err: unknown) => logger.warn({ err, jobId: job.id }, "could not renew a job lease"));
    }, Math.max(500, Math.floor(leaseMs / 3)));
    const log = logger.child({ jobId: job.id, jobType: type, attempt: job.retryCount + 1 });
    try {
      const data = JOB_DATA[type].parse(job.data) as JobData<JobType>;
      const output = await handler.run(db, data, { jobId: job.id, attempt: job.retryCount + 1, final: job.retryCount >= job.retryLimit, signal: abort.signal });
      clearInterval(renew);
      if (!lost) await boss.complete(queue, job.id, (output ?? {}) as object);
    } catch (error) {
      clearInterval(renew);
      const message = error instanceof Error ? error.message : String(error);
      log.warn({ err: error }, "job attempt failed");
      if (!lost && error instanceof JobFailedForGood) {
        // pg-boss retries while retry_count < retry_limit: spending the limit makes this failure the last.
        await runner.executeSql(`update ${QUEUE_SCHEMA}.job set retry_limit = retry_count where name = $1 and id = $2 and state = 'active'`, [queue, job.id]);
      }
      if (!lost) await boss.fail(queue, job.id, { message, code: error instanceof AppError ? error.code : undefined });
    }
  }

  async function deadLetter(type: JobType, queue: string, job: Fetched): Promise<void> {
    const handler = options.handlers[type] as JobHandler<JobType>;
    const parsed = JOB_DATA[type].safeParse(job.data);
    try {
      if (parsed.success) await handler.failed(db, parsed.data as JobData<JobType>, failureMessage(job.output));
      await boss.complete(queue, job.id);
    } catch (error) {
      await boss.fail(queue, job.id, { message: (error as Error).message });
    }
  }

  async function slot(): Promise<void> {
    while (!stopping) {
      let got: Awaited<ReturnType<typeof next>> = null;
      try {
        got = await next();
      } catch (err) {
        logger.warn({ err }, "could not fetch jobs");
      }
      if (!got) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            naps.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, env.JOBS_POLL_SECONDS * 1000);
          naps.add(wake);
        });
        continue;
      }
      const { queue, type, job, dead } = got;
      const done = dead ? deadLetter(type, queue, job) : attempt(queue, type, job);
      inFlight.set(job.id, done);
      await done.finally(() => inFlight.delete(job.id));
    }
  }

  const slots = Array.from({ length: options.concurrency ?? env.JOBS_CONCURRENCY }, () => slot());
  logger.info({ types, concurrency: slots.length }, "job worker started");
  return {
    running: () => inFlight.size,
    async stop(graceMs = 30_000) {
      stopping = true;
      unsubscribe();
      wakeAll();
      // Jobs still running after the grace are left to their lease: another worker takes them.
      await Promise.race([Promise.all(slots), new Promise((r) => setTimeout(r, graceMs).unref())]);
    },
  };
}
