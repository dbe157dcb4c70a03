// npm run bench:api — requests/s, p50 and p99 of GET /api/v1/avatars and GET /api/v1/credits/balance
// with a valid key, on PostgreSQL (a fresh database, dropped afterwards), through the production
// server (`tic-avatar serve`, which dispatches /api/v1 straight to its route handlers) and, beside it,
// through the handlers alone behind plain node:http: the figure the server should come close to.
//
// BENCH_SERVERS: which servers, comma-separated, in order (default "serve,handlers"; add "next" for
// /api/v1 through Next.js's routing, TIC_API_FAST_PATH=0). "serve" and "next" need an existing
// `next build` in BENCH_APP_DIR (default the repo). The load generator (autocannon) runs in this
// process; servers, database and load share the machine's cores, so the load average is printed.
// Env: BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_CONNECTIONS (16),
// BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (10, per endpoint), BENCH_WORKERS (handler-only processes, default 1),
// REDIS_URL (passed on: limits and key invalidation through Redis).
import { cpus, loadavg } from "node:os";
import autocannon from "autocannon";
import { createPgDatabase } from "@/server/http/testing/test-api";
import { SERVER_LABELS, seedBench, startServer, type ServerKind } from "./api-servers";

const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
// A server just started is not yet in its steady state: with 3 s of warm-up, the first endpoint measured
// through `tic-avatar serve` read 230-1200 req/s where 10 s gave 1,660 at the same load (its bundles
// load chunks and get optimised as they are first used). A production server runs for days.
const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
if (process.env.BENCH_PG_ADMIN_URL) process.env.TEST_PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL;
const servers = (process.env.BENCH_SERVERS ?? (process.env.BENCH_SERVER === "node" ? "handlers" : "serve,handlers")).split(",").map((s) => s.trim()) as ServerKind[];
for (const s of servers) if (!(s in SERVER_LABELS)) throw new Error(`BENCH_SERVERS: unknown server "${s}" (serve, next, handlers)`);
const ENDPOINTS = ["/api/v1/avatars", "/api/v1/credits/balance"];

function run(url: string, apiKey: string, duration: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration, headers: { authorization: `Bearer ${apiKey}` } }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(" ");

async function main() {
  const db = await createPgDatabase("tic_bench");
  try {
    const apiKey = await seedBench(db.url);
    console.log(`bench:api — PostgreSQL, ${connections} connections, ${seconds} s per endpoint after ${warmup} s warm-up; ${cpus().length} cores`);
    console.log("server                                 endpoint                    req/s   p50 ms   p99 ms  non-2xx  errors  load avg (1/5/15 min)");
    for (const kind of servers) {
      const server = await startServer(kind, db.url);
      try {
        for (const path of ENDPOINTS) {
          const target = `http://127.0.0.1:${server.port}${path}`;
          const check = await fetch(target, { headers: { authorization: `Bearer ${apiKey}` } });
          if (check.status !== 200) throw new Error(`${path} answered ${check.status}: ${await check.text()}`);
          await run(target, apiKey, warmup);
          const before = load();
          const r = await run(target, apiKey, seconds);
          const rps = r.requests.total / seconds;
          console.log(
            `${SERVER_LABELS[kind].padEnd(38)} GET ${path.padEnd(24)} ${rps.toFixed(0).padStart(6)} ${String(r.latency.p50).padStart(8)} ${String(r.latency.p99).padStart(8)} ${String(r.non2xx).padStart(8)} ${String(r.errors + r.timeouts).padStart(7)}  ${before}`,
          );
        }
      } finally {
        server.stop();
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    console.log("target through tic-avatar serve: >= 1500 req/s and p99 <= 25 ms per endpoint");
  } finally {
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
