/**
 * npm run bench:turn — realtime turn latency on PostgreSQL over loopback HTTP:
 *   prepare     first (rig build) and cache-hit prepare of a freshly created avatar
 *   turn        speak_text of ~15 words: time to the first `audio`, `motion` and (server render)
 *               `video` record, median/p90 of N requests (each stream is cancelled once measured);
 *               then full turns: total turn time vs the spoken duration (pacing keeps a turn near
 *               real time: it may run at most playout_delay_ms ahead)
 *   lipsync     10 s of speech to MP4 on a prepared avatar (service call; wall time)
 *
 * The API handlers run in a child process (this file with --serve) behind node:http that streams
 * the Response body; the client (fetch + the SDK's readAvatarMux) runs here.
 * Env: BENCH_PG_ADMIN_URL, BENCH_RUNS (20), BENCH_FULL_RUNS (3).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { readAvatarMux } from "@/packages/sdk/src";
import type { NextRouteHandler } from "@/server/http/api-route";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const FULL_RUNS = Number(process.env.BENCH_FULL_RUNS ?? 3);
const TEXT = "Welcome to the station. I am your guide today, and I will show you around the main deck.";
if (process.env.BENCH_PG_ADMIN_URL) process.env.TEST_PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL;

// ---- child: the handlers behind a streaming node:http server ---------------------------------
async function serve() {
  const { getDb } = await import("@/server/db/client");
  await getDb();
  const routes: Record<string, NextRouteHandler> = {
    "POST /api/v1/assets": (await import("@/app/api/v1/assets/route")).POST,
    "POST /api/v1/avatars": (await import("@/app/api/v1/avatars/route")).POST,
    "POST /api/v1/realtime/prepare": (await import("@/app/api/v1/realtime/prepare/route")).POST,
    "POST /api/v1/realtime/turn": (await import("@/app/api/v1/realtime/turn/route")).POST,
  };
  const avatarGet = (await import("@/app/api/v1/avatars/[avatarId]/route")).GET;
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0]!;
    const m = /^\/api\/v1\/avatars\/([^/]+)$/.exec(path);
    const handler = m && req.method === "GET" ? avatarGet : routes[`${req.method} ${path}`];
    if (!handler) return res.writeHead(404).end();
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const abort = new AbortController();
    const hasBody = req.method !== "GET";
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
      signal: abort.signal,
      // @ts-expect-error -- undici needs duplex for a streamed request body
      duplex: hasBody ? "half" : undefined,
    });
    const params: Record<string, string> = m ? { avatarId: m[1]! } : {};
    const response = await handler(request, { params: Promise.resolve(params) });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return res.end();
    const reader = response.body.getReader();
    res.on("close", () => {
      if (!res.writableFinished) reader.cancel().catch(() => undefined);
    });
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) break;
      if (!res.write(value)) await new Promise((r) => res.once("drain", r));
    }
    res.end();
  });
  server.listen(0, "127.0.0.1", () => process.stderr.write(`listening ${(server.address() as AddressInfo).port}\n`));
}

// ---- parent: seed, drive, print ---------------------------------------------------------------
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.9) - 1)]!;
const ms = (v: number) => `${v.toFixed(0)} ms`;

/** CPU time of this process plus its waited-for children (ffmpeg), from /proc (clock ticks of 10 ms). */
function cpuMs(): number {
  const u = process.cpuUsage();
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  const childTicks = Number(fields[13]) + Number(fields[14]); // cutime, cstime (fields 16, 17)
  return (u.user + u.system) / 1000 + childTicks * 10;
}

async function main() {
  const { createPgDatabase, mintKey, seedTenant } = await import("@/server/http/testing/test-api");
  const { openDatabase } = await import("@/server/db/client");
  const { grantCredits } = await import("@/server/services/credits/ledger");
  const db = await createPgDatabase("tic_bench_turn");
  const storage = mkdtempSync(join(tmpdir(), "tic-bench-turn-"));
  process.env.STORAGE_DIR = storage;
  process.env.DATABASE_URL = db.url;
  process.env.AUTH_SECRET ??= "bench-secret-0123456789";
  process.env.LOG_LEVEL ??= "silent";
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    API_RATE_LIMITS: JSON.stringify({ enterprise: { keyPerSecond: 1e6, keyBurst: 1e6, tenantPerSecond: 1e6, tenantBurst: 1e6 } }),
  };
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", new URL(import.meta.url).pathname, "--serve"], { env, stdio: ["ignore", "ignore", "pipe"] });
  try {
    const handle = await openDatabase(db.url);
    const tenant = await seedTenant(handle.db, { plan: "enterprise", name: "Bench" });
    const { apiKey } = await mintKey(handle.db, tenant.id, { environment: "test" });
    await grantCredits(handle.db, { tenantId: tenant.id, environment: "test", amountMicros: 36_000_000_000, reason: "bench" });
    const port = await new Promise<number>((resolve, reject) => {
      let err = "";
      child.stderr.on("data", (d: Buffer) => {
        err += d.toString();
        const m = /listening (\d+)/.exec(err);
        if (m) resolve(Number(m[1]));
      });
      child.on("exit", (code) => reject(new Error(`server exited (${code}): ${err}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const auth = { authorization: `Bearer ${apiKey}` };
    const post = (path: string, body: unknown, extra: Record<string, string> = {}) =>
      fetch(`${base}${path}`, { method: "POST", headers: { ...auth, "content-type": "application/json", ...extra }, body: JSON.stringify(body) });

    console.log(`bench:turn — PostgreSQL, handlers in a child process behind node:http (loopback), ${RUNS} runs per latency figure`);
    console.log(`machine: ${cpus().length} cores, load average before the run ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    const form = new FormData();
    form.set("file", new Blob([readFileSync(join(process.cwd(), "public/demo/astronaut.png"))]), "astronaut.png");
    const asset = (await (await fetch(`${base}/api/v1/assets`, { method: "POST", headers: auth, body: form })).json()) as { id: string };
    const created = (await (await post("/api/v1/avatars", { displayName: "Bench", sourceKind: "image", sourceAssetId: asset.id })).json()) as { id: string };
    const avatarId = created.id;
    // Creating the avatar starts its preparation in the background; the first prepare joins or finds it.
    let t0 = performance.now();
    const first = (await (await post("/api/v1/realtime/prepare", { avatar_id: avatarId })).json()) as { registered: boolean; timings: Record<string, number> };
    const firstWall = performance.now() - t0;
    for (;;) {
      const a = (await (await fetch(`${base}/api/v1/avatars/${avatarId}`, { headers: auth })).json()) as { status: string };
      if (a.status === "ready") break;
      if (a.status === "failed") throw new Error("avatar preparation failed");
      await new Promise((r) => setTimeout(r, 200));
    }
    const hits: number[] = [];
    const hitsServer: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      t0 = performance.now();
      const hit = (await (await post("/api/v1/realtime/prepare", { avatar_id: avatarId })).json()) as { timings: { totalMs: number } };
      hits.push(performance.now() - t0);
      hitsServer.push(hit.timings.totalMs);
    }
    console.log(`prepare, first call after create (registered=${first.registered})      ${ms(firstWall)}`);
    console.log(`prepare, cache hit: client wall median ${ms(median(hits))} p90 ${ms(p90(hits))}; server timings.totalMs median ${median(hitsServer).toFixed(1)} ms   target ≤ 50 ms`);

    const measure = async (body: Record<string, unknown>, full: boolean) => {
      const start = performance.now();
      const res = await post("/api/v1/realtime/turn", { avatar_id: avatarId, mode: "speak_text", text: TEXT, ...body });
      if (res.status !== 200) throw new Error(`turn answered ${res.status}: ${await res.text()}`);
      const t: { audio?: number; motion?: number; video?: number; end?: number; samples: number; rate: number } = { samples: 0, rate: 1 };
      const wantVideo = body.render === "server";
      for await (const r of readAvatarMux(res.body!)) {
        const now = performance.now() - start;
        if (r.kind === "header") t.rate = r.sampleRate;
        if (r.kind === "audio") {
          t.audio ??= now;
          t.samples += r.samples.length;
        }
        if (r.kind === "motion") t.motion ??= now;
        if (r.kind === "video") t.video ??= now;
        if (r.kind === "end") t.end = now;
        if (!full && t.audio !== undefined && t.motion !== undefined && (!wantVideo || t.video !== undefined)) break;
      }
      return t;
    };
    const words = TEXT.split(/\s+/).length;
    const configs = [
      ["client render, defaults", { render: "client" }],
      ["client render, low_latency_first_chunk", { render: "client", low_latency_first_chunk: true }],
      ["server render (JPEG 256 px), defaults", { render: "server" }],
      ["server render (JPEG 256 px), low_latency_first_chunk", { render: "server", low_latency_first_chunk: true }],
    ] as const;
    // Round-robin over the configurations: the machine's load drifts, and each figure should see the same drift.
    const results: Awaited<ReturnType<typeof measure>>[][] = configs.map(() => []);
    for (const [, body] of configs) await measure(body, false); // warm-up
    for (let i = 0; i < RUNS; i++) for (const [k, [, body]] of configs.entries()) results[k]!.push(await measure(body, false));
    for (const [k, [label, body]] of configs.entries()) {
      const runs = results[k]!;
      const a = runs.map((r) => r.audio!);
      const m = runs.map((r) => r.motion!);
      console.log(`turn ${label} (${words} words): first audio median ${ms(median(a))} p90 ${ms(p90(a))} [≤150]; first motion median ${ms(median(m))} p90 ${ms(p90(m))} [≤200]`);
      if (body.render === "server") {
        const v = runs.map((r) => r.video!);
        console.log(`     first video median ${ms(median(v))} p90 ${ms(p90(v))} [≤300]`);
      }
    }
    for (const render of ["client", "server"] as const) {
      for (let i = 0; i < FULL_RUNS; i++) {
        const t = await measure({ render }, true);
        const spoken = (t.samples / t.rate) * 1000;
        console.log(`full turn, ${render} render, defaults: total ${ms(t.end!)} for ${ms(spoken)} of speech (ratio ${(t.end! / spoken).toFixed(2)}; paced: at most the 520 ms playout delay + one 200 ms batch ahead of real time)`);
      }
    }
    await benchLipsync(handle.db, tenant.id);
    await handle.close();
  } finally {
    child.kill("SIGTERM");
    await db.drop().catch(() => undefined);
    rmSync(storage, { recursive: true, force: true });
  }
}

async function benchLipsync(dbh: import("@/server/db/client").Db, tenantId: string) {
  const { decodeWav, encodeWav } = await import("@/server/media/wav");
  const { runLipsync, LIPSYNC_SIZE } = await import("@/server/services/realtime/lipsync");
  const { getStorage } = await import("@/server/services/storage");
  const { DEFAULT_LIMITS } = await import("@/server/services/assets/config");
  const { logger } = await import("@/server/logger");
  const { createAvatar } = await import("@/server/services/avatars");
  const { prepareAvatar } = await import("@/server/services/realtime/prepare");
  const { storeReceived } = await import("@/server/services/assets/assets");
  const { receiveToTempFile } = await import("@/server/services/assets/receive");
  const { createReadStream } = await import("node:fs");
  // 10.0 s of speech: the demo clip, repeated.
  const speech = decodeWav(readFileSync(join(process.cwd(), "public/demo/speech.wav")));
  const ten = new Float32Array(speech.sampleRate * 10);
  for (let i = 0; i < ten.length; i++) ten[i] = speech.samples[i % speech.samples.length]!;
  const wav = encodeWav(ten, speech.sampleRate);
  const server = createServer((_req, res) => res.writeHead(200, { "content-length": wav.length }).end(wav));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const deps = { storage: getStorage(), limits: DEFAULT_LIMITS, baseUrl: "http://bench.test", policy: () => ({ ok: true as const }) };
  const file = await receiveToTempFile(createReadStream(join(process.cwd(), "public/demo/astronaut.png")), { limits: DEFAULT_LIMITS, expectedKind: () => "image" });
  const asset = await storeReceived(dbh, tenantId, file, { expectedKind: () => "image" }, deps);
  const avatar = await createAvatar(dbh, tenantId, { displayName: "Lipsync bench", sourceKind: "image", sourceAssetId: asset.id });
  await prepareAvatar(dbh, tenantId, avatar.id);
  const caller = { tenantId, environment: "test" as const, apiKeyId: null, log: logger };
  const walls: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const c0 = cpuMs();
    const r = await runLipsync(dbh, caller, { audioUrl: `http://127.0.0.1:${port}/ten.wav`, avatarId: avatar.id }, deps);
    walls.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
    if (i === 0) console.log(`lipsync: ${r.frames} frames at ${r.fps} fps, ${r.durationSeconds} s, ${LIPSYNC_SIZE} px`);
  }
  console.log(`lipsync 10 s audio (prepared avatar, in-process service): wall ${walls.map((w) => ms(w)).join(", ")}; median ${ms(median(walls))}   target ≤ 3 s`);
  console.log(`lipsync CPU (this process + ffmpeg children): ${cpu.map((c) => ms(c)).join(", ")}; median ${ms(median(cpu))} — wall above CPU is waiting for cores (load average now ${loadavg()[0]!.toFixed(1)})`);
  server.close();
}

if (process.argv.includes("--serve")) {
  serve().catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
} else {
  main()
    .then(() => process.exit(0))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
