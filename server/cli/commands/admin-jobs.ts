import "server-only";
import { parseArgs } from "node:util";
import type { Db } from "../../db/client";
import { listJobs, retryJob, type JobState } from "../../jobs/admin";
import { JOB_TYPES, type JobType } from "../../jobs/job-types";
import { stopJobQueue } from "../../jobs/queue";
import { CliUsageError } from "../command";

const STATES: JobState[] = ["created", "retry", "active", "completed", "cancelled", "failed"];

function jobType(value: string | undefined): JobType | undefined {
  if (value === undefined) return undefined;
  if (!(JOB_TYPES as string[]).includes(value)) throw new CliUsageError(`--type must be one of ${JOB_TYPES.join(", ")}.`);
  return value as JobType;
}

/** `admin jobs [--state S] [--type T] [--tenant ID] [--limit N]` and `admin jobs retry --type T --id ID`. */
export default async function adminJobs(db: Db, argv: string[]): Promise<number> {
  try {
    return await run(db, argv);
  } finally {
    await stopJobQueue(db); // its maintenance timers must not outlive the command's database
  }
}

async function run(db: Db, argv: string[]): Promise<number> {
  const retry = argv[0] === "retry";
  const { values } = parseArgs({
    args: retry ? argv.slice(1) : argv,
    options: { state: { type: "string" }, type: { type: "string" }, tenant: { type: "string" }, limit: { type: "string" }, id: { type: "string" } },
  });
  const type = jobType(values.type);
  if (retry) {
    if (!type || !values.id) throw new CliUsageError("jobs retry needs --type and --id.");
    const ok = await retryJob(db, type, values.id);
    process.stdout.write(`${JSON.stringify({ id: values.id, retried: ok })}\n`);
    return ok ? 0 : 1;
  }
  if (values.state !== undefined && !(STATES as string[]).includes(values.state)) throw new CliUsageError(`--state must be one of ${STATES.join(", ")}.`);
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new CliUsageError("--limit must be a positive integer.");
  for (const job of await listJobs(db, { state: values.state as JobState | undefined, type, tenantId: values.tenant, limit })) process.stdout.write(`${JSON.stringify(job)}\n`);
  return 0;
}
