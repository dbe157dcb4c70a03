import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { JOB_TYPES, type JobType } from "./job-types";
import { failureMessage, jobQueue, QUEUE_SCHEMA } from "./queue";

export type JobState = "created" | "retry" | "active" | "completed" | "cancelled" | "failed";
export type JobListing = { id: string; type: string; state: JobState; attempts: number; tenantId: string | null; subject: string | null; error: string | null; createdAt: string; finishedAt: string | null };

type Row = { id: string; name: string; state: JobState; retry_count: number; data: Record<string, unknown> | null; output: unknown; created_on: Date | string; completed_on: Date | string | null };

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/** Jobs newest first, live and archived, optionally of one state, type or workspace (the dashboard passes its tenant). */
export async function listJobs(db: Db, filter: { state?: JobState; type?: JobType; tenantId?: string; limit?: number } = {}): Promise<JobListing[]> {
  await jobQueue(db); // the schema exists
  const names = filter.type ? [filter.type] : JOB_TYPES;
  const tenantOf = sql.raw(`coalesce(data->>'tenantId', data->'caller'->>'tenantId')`);
  const where = sql.join(
    [
      sql`name in (${sql.join(names.map((n) => sql`${n}`), sql`, `)})`,
      filter.state ? sql`state = ${filter.state}::${sql.raw(QUEUE_SCHEMA)}.job_state` : undefined,
      filter.tenantId ? sql`${tenantOf} = ${filter.tenantId}` : undefined,
    ].filter((c) => c !== undefined),
    sql` and `,
  );
  const columns = sql.raw("id, name, state, retry_count, data, output, created_on, completed_on");
  const result = await db.execute(sql`
    select * from (
      select ${columns} from ${sql.raw(QUEUE_SCHEMA)}.job where ${where}
      union all
      select ${columns} from ${sql.raw(QUEUE_SCHEMA)}.archive where ${where}
    ) j order by created_on desc limit ${Math.min(filter.limit ?? 50, 500)}`);
  const rows = ((result as unknown as { rows?: Row[] }).rows ?? (result as unknown as Row[])) as Row[];
  return rows.map((r) => ({
    id: r.id,
    type: r.name,
    state: r.state,
    attempts: r.retry_count + 1,
    tenantId: (r.data?.tenantId as string | undefined) ?? ((r.data?.caller as { tenantId?: string } | undefined)?.tenantId ?? null),
    subject: (r.data?.avatarId as string | undefined) ?? (r.data?.deliveryId as string | undefined) ?? (r.data?.cacheId as string | undefined) ?? ((r.data?.input as { avatarId?: string } | undefined)?.avatarId ?? null),
    error: r.state === "failed" ? failureMessage(r.output) : null,
    createdAt: iso(r.created_on)!,
    finishedAt: iso(r.completed_on),
  }));
}

/** Puts a failed job back in the queue for one more attempt; false when no failed job has that id. */
export async function retryJob(db: Db, type: JobType, id: string): Promise<boolean> {
  const boss = await jobQueue(db);
  const before = await boss.getJobById(type, id);
  if (before?.state !== "failed") return false;
  await boss.retry(type, id); // one more attempt; the worker marks its avatar preprocessing again
  return true;
}
