import "server-only";
import { parseArgs } from "node:util";
import { closeDb, getDb, getDbKind } from "../../db/client";
import { getEnv } from "../../env";
import { ensureSweeper } from "../../http/background";
import { ensureLocalWorker } from "../../jobs";
import { stopJobQueue } from "../../jobs/queue";
import { CliUsageError, type CliCommand } from "../command";

const usage = "tic-avatar worker [--concurrency N]";

const command: CliCommand = {
  name: "worker",
  summary: "Run durable jobs (portrait preparation, lipsync renders) until stopped.",
  usage,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { concurrency: { type: "string" } } });
    const env = getEnv();
    const concurrency = values.concurrency === undefined ? env.JOBS_CONCURRENCY : Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new CliUsageError(`--concurrency must be 1-64, got "${values.concurrency}".`);
    // An embedded database is shared through its owner (a running server), or owned and shared by this worker.
    const db = await getDb();
    // Lipsync renders hold credits; a worker releases the holds of any process that died, as servers do.
    ensureSweeper(db, env.RESERVATION_SWEEP_INTERVAL_MS);
    const worker = await ensureLocalWorker(db, { concurrency });
    process.stdout.write(`tic-avatar worker: ${concurrency} at a time on the ${await getDbKind()} database (lease ${env.JOBS_LEASE_SECONDS} s)\n`);
    await new Promise<void>((resolve) => {
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
    });
    process.stdout.write("tic-avatar worker: stopping (running jobs finish; any left are taken again after their lease)\n");
    await worker.stop(30_000);
    await stopJobQueue(db);
    await closeDb();
    return 0;
  },
};

export default command;
