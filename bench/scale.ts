/**
 * npm run bench:scale — how the app scales out on this machine, one section per part of it:
 *   jobs   portrait preparations (real rig builds) drained by one and by two `tic-avatar worker`
 *          processes on one PostgreSQL database: jobs per minute, from the moment the batch is queued
 *          (the workers are started and idle before) until the last avatar is ready
 *   api    GET /api/v1/credits/balance through one and through two app instances on one PostgreSQL
 *          and one Redis (bench/scale-api.ts)
 * Sections are named; `npm run bench:scale -- jobs` runs one. Each section owns its setup.
 * Env: BENCH_PG_ADMIN_URL (the server fresh databases are made on), BENCH_SCALE_JOBS (8).
 * On this 2-core machine a second worker adds little: each build is CPU-bound (the figure checks the
 * setup, and is the one to compare on a larger machine).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import sharp from "sharp";
import { apiScaleSection } from "./scale-api";

const JOBS = Number(process.env.BENCH_SCALE_JOBS ?? 8);
if (process.env.BENCH_PG_ADMIN_URL) process.env.TEST_PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL;

type Section = { name: string; run: () => Promise<void> };

// ---- jobs: workers draining preparations ----------------------------------------------------
async function jobsSection(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), "bench-scale-"));
  const storageDir = join(scratch, "storage");
  const jobEnv = { JOBS_IN_PROCESS: "false", JOBS_POLL_SECONDS: "0.5", JOBS_SWEEP_SECONDS: "5" };
  Object.assign(process.env, jobEnv, { STORAGE_DIR: storageDir, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" });
  const { createPgDatabase } = await import("@/server/testing/databases");
  const created = await createPgDatabase("bench_scale");
  process.env.DATABASE_URL = created.url;
  const { getDb } = await import("@/server/db/client");
  const { startWorkerProcess } = await import("@/server/jobs/testing/worker-process");
  const { listJobs } = await import("@/server/jobs/admin");
  const { resetProcessState } = await import("@/server/process-state");
  const db = await getDb();
  const tenantId = await seedTenant(db);
  const portrait = readFileSync(join(process.cwd(), "public/demo/astronaut.png"));
  console.log(`jobs: ${JOBS} portrait preparations per run (each a distinct image: no rig cache hit), PostgreSQL`);
  try {
    for (const workers of [1, 2]) {
      const procs = await Promise.all(
        Array.from({ length: workers }, (_, i) =>
          startWorkerProcess({ ...jobEnv, DATABASE_URL: created.url, STORAGE_DIR: storageDir, TIC_RIG_CACHE_DIR: join(scratch, `rigs-${workers}-${i}`) }),
        ),
      );
      try {
        const assetIds: string[] = [];
        for (let i = 0; i < JOBS; i++) assetIds.push(await storeImage(db, tenantId, await variant(portrait, workers * 1000 + i)));
        const { createAvatar } = await import("@/server/services/avatars");
        const t0 = performance.now();
        const ids: string[] = [];
        for (const assetId of assetIds) ids.push((await createAvatar(db, tenantId, { displayName: "bench", sourceKind: "image", sourceAssetId: assetId })).id);
        for (;;) {
          const jobs = (await listJobs(db, { type: "prepare-avatar", tenantId, limit: 500 })).filter((j) => ids.includes(j.subject ?? ""));
          if (jobs.length === ids.length && jobs.every((j) => j.state === "completed" || j.state === "failed")) {
            const failed = jobs.filter((j) => j.state === "failed").length;
            const minutes = (performance.now() - t0) / 60_000;
            console.log(`  ${workers} worker${workers > 1 ? "s" : " "}  ${(JOBS / minutes).toFixed(1).padStart(6)} jobs/min  (${(minutes * 60).toFixed(1)} s for ${JOBS}${failed ? `, ${failed} failed` : ""})`);
            break;
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      } finally {
        for (const p of procs) await p.kill("SIGTERM");
      }
    }
  } finally {
    await resetProcessState();
    await created.drop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The portrait with one corner pixel changed: other bytes, so another rig-cache key, the same face. */
async function variant(png: Buffer, n: number): Promise<Buffer> {
  const dot = await sharp({ create: { width: 1, height: 1, channels: 3, background: { r: n % 256, g: (n >> 8) % 256, b: 7 } } }).png().toBuffer();
  return sharp(png).composite([{ input: dot, left: 0, top: 0 }]).png().toBuffer();
}

async function seedTenant(db: import("@/server/db/client").Db): Promise<string> {
  const { findOrCreateUser } = await import("@/server/services/users");
  const { createTenant } = await import("@/server/services/tenants");
  const { user } = await findOrCreateUser(db, `bench-${Date.now()}@example.test`);
  return (await createTenant(db, { name: "Bench", ownerUserId: user.id })).id;
}

async function storeImage(db: import("@/server/db/client").Db, tenantId: string, bytes: Buffer): Promise<string> {
  const { receiveToTempFile } = await import("@/server/services/assets/receive");
  const { storeReceived } = await import("@/server/services/assets/assets");
  const { assetDepsFromEnv } = await import("@/server/services/assets");
  const deps = assetDepsFromEnv();
  const file = await receiveToTempFile(Readable.from([new Uint8Array(bytes)]), { limits: deps.limits, expectedKind: () => "image" });
  return (await storeReceived(db, tenantId, file, { expectedKind: () => "image", originalFilename: "bench.png" }, deps)).id;
}

// ---- the sections, in order ---------------------------------------------------------------------
const SECTIONS: Section[] = [
  { name: "jobs", run: jobsSection },
  { name: "api", run: apiScaleSection },
];

async function main() {
  const only = process.argv.slice(2);
  for (const section of SECTIONS) {
    if (only.length && !only.includes(section.name)) continue;
    await section.run();
    console.log("");
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
