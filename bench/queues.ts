/**
 * npm run bench:queues — the two maintained PostgreSQL queues the durable jobs could run on, side by
 * side, on each database the app supports (docs/deployment.md says which was chosen and why):
 *   drain     N no-op jobs inserted at once, drained by one worker taking 4 at a time: jobs/s
 *   pickup    one job sent to an idle worker, RUNS times: send → handler start, median and p95
 *   re-pick   whether a job whose worker vanished mid-run (locked, never finished) is taken again,
 *             and after how long, from the library's own rules
 * Databases: PostgreSQL (a fresh database on BENCH_PG_ADMIN_URL, default 127.0.0.1:5432) and the
 * embedded PGlite served over the wire protocol as `tic-avatar` shares it (server/db/pglite-share.ts).
 * Env: BENCH_JOBS (300), BENCH_RUNS (15).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import PgBoss from "pg-boss";
import { makeWorkerUtils, run as runGraphile } from "graphile-worker";

const JOBS = Number(process.env.BENCH_JOBS ?? 300);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const CONCURRENCY = 4;
const POLL_MS = 500; // both poll every 500 ms (pg-boss's minimum); graphile-worker also LISTENs
const ADMIN = process.env.BENCH_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

type Db = { label: string; pool: () => pg.Pool; close: () => Promise<void> };
type Result = { jobsPerSecond: number; pickupMedianMs: number; pickupP95Ms: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

async function postgres(): Promise<Db> {
  const name = `bench_queues_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN);
  url.pathname = `/${name}`;
  const pools: pg.Pool[] = [];
  return {
    label: "postgresql",
    pool: () => pools[pools.push(new pg.Pool({ connectionString: url.toString(), max: 10 })) - 1]!,
    close: async () => {
      for (const p of pools) await p.end().catch(() => undefined);
      const c = new pg.Client({ connectionString: ADMIN });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function embedded(): Promise<Db> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { shareDatabase, guestPoolConfig } = await import("@/server/db/pglite-share");
  const dir = mkdtempSync(join(tmpdir(), "bench-queues-"));
  const pglite = new PGlite(join(dir, "db"));
  await pglite.waitReady;
  const share = await shareDatabase(pglite, dir);
  const pools: pg.Pool[] = [];
  return {
    label: "pglite (shared socket)",
    // graphile-worker keeps one connection LISTENing and needs others for work: more than a guest's one.
    pool: () => pools[pools.push(new pg.Pool({ ...guestPoolConfig(share.endpoint), max: 4 })) - 1]!,
    close: async () => {
      for (const p of pools) await p.end().catch(() => undefined);
      await share.stop();
      await pglite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function benchPgBoss(db: Db): Promise<Result> {
  const pool = db.pool();
  const boss = new PgBoss({ db: { executeSql: (text, values) => pool.query(text, values) }, supervise: false, schedule: false });
  boss.on("error", () => undefined);
  await boss.start();
  await boss.createQueue("bench");
  let done = 0;
  let started: ((t: number) => void) | undefined;
  const handler = async () => {
    started?.(performance.now());
    done++;
  };
  await boss.insert(Array.from({ length: JOBS }, (_, i) => ({ name: "bench", data: { i } })));
  // The loop server/jobs/worker.ts runs: fetch, run, complete, fetch again; nap a poll only when empty.
  // (pg-boss's own work() naps a poll after every fetch, which caps it at 1 job per poll per loop.)
  let stopping = false;
  const loop = async () => {
    while (!stopping) {
      const [job] = await boss.fetch("bench", { batchSize: 1 });
      if (!job) {
        await sleep(POLL_MS);
        continue;
      }
      await handler();
      await boss.complete("bench", job.id);
    }
  };
  const t0 = performance.now();
  const loops = Array.from({ length: CONCURRENCY }, loop);
  while (done < JOBS) await sleep(5);
  const jobsPerSecond = JOBS / ((performance.now() - t0) / 1000);
  const pickups: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await sleep(POLL_MS * (1 + Math.random())); // idle, at a random point of the poll cycle
    const at = new Promise<number>((r) => (started = r));
    const s = performance.now();
    await boss.send("bench", { i });
    pickups.push((await at) - s);
  }
  started = undefined;
  stopping = true;
  await Promise.all(loops);
  await boss.stop({ graceful: false, close: false });
  return { jobsPerSecond, pickupMedianMs: pct(pickups, 0.5), pickupP95Ms: pct(pickups, 0.95) };
}

async function benchGraphile(db: Db): Promise<Result> {
  const pgPool = db.pool();
  pgPool.on("error", () => undefined);
  // Every connection to a shared PGlite is the same single backend session, so graphile-worker's
  // named prepared statements collide between its connections ("already exists"): turn them off there.
  const noPreparedStatements = db.label.startsWith("pglite");
  let done = 0;
  let started: ((t: number) => void) | undefined;
  const utils = await makeWorkerUtils({ pgPool, noPreparedStatements });
  await utils.migrate();
  await utils.addJobs(Array.from({ length: JOBS }, (_, i) => ({ identifier: "bench", payload: { i } })));
  const t0 = performance.now();
  const runner = await runGraphile({
    pgPool,
    noPreparedStatements,
    concurrency: CONCURRENCY,
    pollInterval: POLL_MS,
    noHandleSignals: true,
    logger: new (await import("graphile-worker")).Logger(() => () => undefined),
    taskList: {
      bench: async () => {
        started?.(performance.now());
        done++;
      },
    },
  });
  while (done < JOBS) await sleep(5);
  const jobsPerSecond = JOBS / ((performance.now() - t0) / 1000);
  const pickups: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await sleep(POLL_MS * (1 + Math.random()));
    const at = new Promise<number>((r) => (started = r));
    const s = performance.now();
    await utils.addJob("bench", { i });
    pickups.push((await at) - s);
  }
  started = undefined;
  await runner.stop();
  await utils.release();
  return { jobsPerSecond, pickupMedianMs: pct(pickups, 0.5), pickupP95Ms: pct(pickups, 0.95) };
}

const QUEUES = [
  ["pg-boss 10 (fetch loop)", benchPgBoss, "expireInSeconds per job (default 15 min; we renew a short lease), then retried"],
  ["graphile-worker 0.17", benchGraphile, "locked_at older than 4 hours (fixed in its SQL), then retried"],
] as const;

async function main() {
  console.log(`queues: ${JOBS} no-op jobs drained ${CONCURRENCY} at a time, then ${RUNS} pickups from idle (poll ${POLL_MS} ms)\n`);
  console.log("queue                     database                 jobs/s   pickup median   p95");
  for (const open of [postgres, embedded]) {
    for (const [name, bench] of QUEUES) {
      const db = await open();
      try {
        const r = await bench(db);
        console.log(`${name.padEnd(25)} ${db.label.padEnd(24)} ${r.jobsPerSecond.toFixed(0).padStart(6)}   ${r.pickupMedianMs.toFixed(1).padStart(10)} ms ${r.pickupP95Ms.toFixed(1).padStart(7)} ms`);
      } catch (error) {
        console.log(`${name.padEnd(25)} ${db.label.padEnd(24)} failed: ${(error as Error).message.split("\n")[0]}`);
      } finally {
        await db.close();
      }
    }
  }
  console.log("\nre-pick of a job whose worker died mid-run:");
  for (const [name, , rule] of QUEUES) console.log(`  ${name.padEnd(25)} ${rule}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
