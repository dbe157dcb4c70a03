/**
 * npm run bench:videos — POST /api/v1/videos for about 10 s of speech (the preset astronaut, our TTS),
 * on PostgreSQL, handlers behind node:http in a child process (server/http/bench/api-server-main.ts):
 *   stream   ?stream=true: time to the first MP4 byte (target ≤ 1 s) and to the last (total)
 *   json     the JSON answer: total (target ≤ 3 s on this machine)
 * Median of BENCH_RUNS (3) each. Env: BENCH_PG_ADMIN_URL.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "./api-servers";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// About 10 s of espeak-ng speech at its normal rate.
const TEXT =
  "Welcome to the station. I am your guide today, and I will show you around the main deck, the laboratory and the observation window, where you can watch the Earth turn slowly below us.";
if (process.env.BENCH_PG_ADMIN_URL) process.env.TEST_PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const ms = (v: number) => `${v.toFixed(0)} ms`;

async function main() {
  const { createPgDatabase, mintKey, seedTenant } = await import("@/server/http/testing/test-api");
  const { openDatabase } = await import("@/server/db/client");
  const { grantCredits } = await import("@/server/services/credits/ledger");
  const db = await createPgDatabase("tic_bench_videos");
  const storage = mkdtempSync(join(tmpdir(), "tic-bench-videos-"));
  const handle = await openDatabase(db.url);
  const tenant = await seedTenant(handle.db, { plan: "enterprise", name: "Bench" });
  const { apiKey } = await mintKey(handle.db, tenant.id, { environment: "test", scopes: ["realtime:write"] });
  await grantCredits(handle.db, { tenantId: tenant.id, environment: "test", amountMicros: 3_600_000_000, reason: "bench" });
  await handle.close();
  const server = await startServer("handlers", db.url, { STORAGE_DIR: storage, LOG_LEVEL: "silent" });
  try {
    const url = (stream: boolean) => `http://127.0.0.1:${server.port}/api/v1/videos${stream ? "?stream=true" : ""}`;
    const post = (stream: boolean) =>
      fetch(url(stream), { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" }, body: JSON.stringify({ text: TEXT, avatar: "astronaut" }) });
    console.log(`bench:videos — PostgreSQL, handlers in a child process behind node:http (loopback), ${RUNS} runs per figure`);
    console.log(`machine: ${cpus().length} cores, load average before the run ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    // One warm-up: the viseme model, espeak-ng and the preset's texture load on first use.
    await (await post(false)).arrayBuffer();

    const first: number[] = [];
    const streamTotal: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const res = await post(true);
      if (res.status !== 200) throw new Error(`stream answered ${res.status}: ${await res.text()}`);
      const reader = res.body!.getReader();
      let firstAt: number | undefined;
      for (let r = await reader.read(); !r.done; r = await reader.read()) firstAt ??= performance.now() - t0;
      first.push(firstAt!);
      streamTotal.push(performance.now() - t0);
    }
    const total: number[] = [];
    let seconds = 0;
    let server_ms = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const res = await post(false);
      const body = (await res.json()) as { video_duration_seconds: number; inference_duration_ms: number };
      if (res.status !== 201) throw new Error(`answered ${res.status}: ${JSON.stringify(body)}`);
      total.push(performance.now() - t0);
      seconds = body.video_duration_seconds;
      server_ms = body.inference_duration_ms;
    }
    console.log(`speech length: ${seconds.toFixed(2)} s of video (384 px, 25 fps)`);
    console.log(`stream: first MP4 byte median ${ms(median(first))} (target ≤ 1000 ms); last byte median ${ms(median(streamTotal))}`);
    console.log(`json:   total median ${ms(median(total))} (target ≤ 3000 ms); server inference_duration_ms (last run) ${server_ms}`);
    console.log(`load average after the run ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  } finally {
    server.stop();
    await db.drop();
    rmSync(storage, { recursive: true, force: true });
  }
}

await main();
