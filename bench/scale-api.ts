// The `api` section of npm run bench:scale (bench/scale.ts) — API throughput through one and through two app instances (`tic-avatar
// serve`, needs a `next build`) on one PostgreSQL and, when REDIS_URL is set (default
// redis://127.0.0.1:6379; "" for none), one Redis: the production layout of docs/deployment.md. The
// load is 16 connections in all, split evenly over the instances (a load balancer's round robin).
// On a 2-core machine a second instance adds little (server, database and load share the cores):
// the figure checks the setup and is for larger machines.
// Env: BENCH_SCALE_SERVER (serve | handlers: without a build), BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3).
import { cpus, loadavg } from "node:os";
import autocannon from "autocannon";
import { createPgDatabase } from "@/server/http/testing/test-api";
import { seedBench, startServer, type ServerKind } from "./api-servers";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const kind = (process.env.BENCH_SCALE_SERVER ?? "serve") as ServerKind;
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const PATH = "/api/v1/credits/balance";

function load(ports: number[], apiKey: string, duration: number): Promise<autocannon.Result[]> {
  const per = Math.max(1, Math.floor(16 / ports.length));
  return Promise.all(
    ports.map(
      (port) =>
        new Promise<autocannon.Result>((resolve, reject) =>
          autocannon({ url: `http://127.0.0.1:${port}${PATH}`, connections: per, duration, headers: { authorization: `Bearer ${apiKey}` } }, (err, r) => (err ? reject(err) : resolve(r))),
        ),
    ),
  );
}

/** Prints req/s and p99 through one and through two instances. */
export async function apiScaleSection(): Promise<void> {
  const db = await createPgDatabase("tic_scale");
  const stops: (() => void)[] = [];
  try {
    const apiKey = await seedBench(db.url);
    console.log(`api — GET ${PATH}, 16 connections in all, ${seconds} s after ${warmup} s warm-up; ${cpus().length} cores; ${kind}; Redis ${redisUrl || "none"}`);
    console.log("instances    req/s   p99 ms (worst)  non-2xx  load avg (1/5/15 min)");
    const ports: number[] = [];
    for (const n of [1, 2]) {
      while (ports.length < n) {
        const server = await startServer(kind, db.url, { REDIS_URL: redisUrl });
        stops.push(server.stop);
        ports.push(server.port);
      }
      await load(ports, apiKey, warmup);
      const before = loadavg().map((l) => l.toFixed(1)).join(" ");
      const results = await load(ports, apiKey, seconds);
      const rps = results.reduce((s, r) => s + r.requests.total, 0) / seconds;
      const p99 = Math.max(...results.map((r) => r.latency.p99));
      const non2xx = results.reduce((s, r) => s + r.non2xx, 0);
      console.log(`${String(n).padStart(9)} ${rps.toFixed(0).padStart(8)} ${String(p99).padStart(15)} ${String(non2xx).padStart(8)}  ${before}`);
    }
  } finally {
    for (const stop of stops) stop();
    await new Promise((r) => setTimeout(r, 500));
    await db.drop();
  }
}
