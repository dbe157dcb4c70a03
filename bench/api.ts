// npm run bench:api — requests/s, p50 and p99 of GET /api/v1/avatars and GET /api/v1/credits/balance
// with a valid key, on PostgreSQL (a fresh database, dropped afterwards).
//
// BENCH_SERVER=node (default): the API handlers run in a child process behind node:http
// (server/http/node-adapter.ts). BENCH_SERVER=next: the production Next.js server (`tic-avatar serve`,
// needs an existing `next build` in BENCH_APP_DIR, default the repo). The load generator (autocannon)
// runs in this process; server, database and load share the machine's cores.
// Env: BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_CONNECTIONS (16),
// BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3), BENCH_WORKERS (server processes, default 1).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import autocannon from "autocannon";
import { openDatabase } from "@/server/db/client";
import { avatars } from "@/server/db/schema";
import { newId } from "@/core/ids/new-id";
import { createPgDatabase, mintKey, seedTenant } from "@/server/http/testing/test-api";

const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
if (process.env.BENCH_PG_ADMIN_URL) process.env.TEST_PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL;

async function seed(url: string) {
  const handle = await openDatabase(url);
  const tenant = await seedTenant(handle.db, { plan: "enterprise", name: "Bench" });
  const { apiKey } = await mintKey(handle.db, tenant.id, { scopes: ["avatars:read", "credits:read"], environment: "test" });
  await handle.db.insert(avatars).values(
    Array.from({ length: 20 }, (_, i) => ({ id: newId("ava"), tenantId: tenant.id, displayName: `Avatar ${i}`, sourceKind: "image" as const, modelId: "default", status: "ready" as const })),
  );
  await handle.close();
  return apiKey;
}

const serverKind = process.env.BENCH_SERVER === "next" ? "next" : "node";
const appDir = resolve(process.env.BENCH_APP_DIR ?? ".");

function startServer(url: string): Promise<{ port: number; stop: () => void }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  if (serverKind === "next" && !existsSync(resolve(appDir, ".next/BUILD_ID"))) throw new Error(`BENCH_SERVER=next needs a production build in ${appDir} (npm run build).`);
  const args =
    serverKind === "next"
      ? ["bin/tic-avatar.mjs", "serve", "--port", String(port)]
      : ["--conditions=react-server", "--import", "tsx", "server/http/bench/api-server-main.ts"];
  const child = spawn(process.execPath, args, {
    cwd: serverKind === "next" ? appDir : undefined,
    // Its own process group, so stopping it also stops the servers it starts (tic-avatar → next).
    detached: true,
    env: {
      ...process.env,
      DATABASE_URL: url,
      AUTH_SECRET: process.env.AUTH_SECRET ?? "bench-secret-0123456789",
      // The bench measures the edge, not the limiter refusing it: a plan far above the offered load.
      API_RATE_LIMITS: JSON.stringify({ enterprise: { keyPerSecond: 1e6, keyBurst: 1e6, tenantPerSecond: 1e6, tenantBurst: 1e6 } }),
      DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? "10",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
      NODE_ENV: "production",
      // Cluster workers listening on port 0 would each get their own port; pick one up front.
      BENCH_PORT: String(port),
    },
    // One JSON log line per request is written (as in production) and discarded.
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((done, reject) => {
    let err = "";
    const stop = () => {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
    };
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /listening (\d+)/.exec(err);
      if (m) done({ port: Number(m[1]), stop });
    });
    child.on("exit", (code) => reject(new Error(`API server exited (${code}): ${err}`)));
    if (serverKind === "next") {
      const poll = setInterval(() => {
        fetch(`http://127.0.0.1:${port}/api/health`).then(
          (r) => {
            if (r.ok) {
              clearInterval(poll);
              done({ port, stop });
            }
          },
          () => undefined,
        );
      }, 500);
    }
  });
}

function run(url: string, apiKey: string, duration: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration, headers: { authorization: `Bearer ${apiKey}` } }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function main() {
  const db = await createPgDatabase("tic_bench");
  let stop = () => {};
  try {
    const apiKey = await seed(db.url);
    const server = await startServer(db.url);
    stop = server.stop;
    const { loadavg, cpus } = await import("node:os");
    console.log(`bench:api — PostgreSQL, ${serverKind === "next" ? "Next.js production server" : `node:http, ${process.env.BENCH_WORKERS ?? 1} process(es)`}, ${connections} connections, ${seconds} s per endpoint after ${warmup} s warm-up`);
    console.log(`machine: ${cpus().length} cores, load average before the run ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    console.log("endpoint                       req/s    p50 ms   p99 ms   non-2xx  errors");
    for (const path of ["/api/v1/avatars", "/api/v1/credits/balance"]) {
      const target = `http://127.0.0.1:${server.port}${path}`;
      const check = await fetch(target, { headers: { authorization: `Bearer ${apiKey}` } });
      if (check.status !== 200) throw new Error(`${path} answered ${check.status}: ${await check.text()}`);
      await run(target, apiKey, warmup);
      const r = await run(target, apiKey, seconds);
      const rps = r.requests.total / seconds;
      console.log(
        `GET ${path.padEnd(26)} ${rps.toFixed(0).padStart(6)} ${String(r.latency.p50).padStart(8)} ${String(r.latency.p99).padStart(8)} ${String(r.non2xx).padStart(9)} ${String(r.errors + r.timeouts).padStart(7)}`,
      );
    }
    console.log("target: >= 1500 req/s and p99 <= 25 ms per endpoint");
  } finally {
    stop();
    await new Promise((r) => setTimeout(r, 300));
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
