/**
 * npm run bench:widget — the embeddable widget in headless Chromium (SwiftShader WebGPU), in one run:
 *   first frame   navigation start → the widget's `ready` (its first frame drawn), cold cache and
 *                 warm (the same browser context again: hashed files come from the HTTP cache)
 *   bytes         transferred from our origin until the first frame, and until audio mode's model
 *                 and runtime are loaded (CDP Network encodedDataLength), cold and warm
 *   CPU           per avatar while N avatars lipsync an <audio> element (audio mode): the page's
 *                 main thread, the workers (render + lipsync, shared by all avatars) and Chromium's
 *                 GPU process (SwiftShader executes WebGPU there), per-thread from /proc, in ms of
 *                 CPU per second of wall time
 *   transports    WebRTC vs WebSocket response latency for the same questions, in this run, against
 *                 this bench's server and avatar (bench/webrtc.ts's measureTransportLatency)
 * Needs a production build (npm run build). Starts `tic-avatar serve` on a fresh PostgreSQL database.
 * Env: BENCH_AVATARS (comma list of N, default "1,4"), BENCH_SECONDS (CPU window, default 10),
 * BENCH_WEBRTC_QUESTIONS (questions per transport, default 5).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { BASE_FLAGS, CHROMIUM, WEBGPU_FLAGS } from "../e2e/chromium";
import { startHost, widgetWorld } from "../e2e/widget-host";
import { startServer } from "./api-servers";
import { benchQuestions, measureTransportLatency, printTransportLatency } from "./webrtc";

const AVATARS = (process.env.BENCH_AVATARS ?? "1,4").split(",").map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const line = (what: string, value: string, note = "") => console.log(`${what.padEnd(52)} ${value.padStart(12)}  ${note}`);

const TICK_MS = 1000 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

/** CPU ms of every thread of `pid`, by thread name (/proc/PID/task/TID/{comm,stat}). */
function threadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      const f = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ");
      out.set(`${name}#${tid}`, (Number(f[11]) + Number(f[12])) * TICK_MS);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** Chromium's renderer and GPU processes among this process's descendants, by their --type. */
function chromiumProcesses(): { pid: number; type: string }[] {
  const children = new Map<number, number[]>();
  for (const p of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const ppid = Number(readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(p)]);
    } catch {
      // gone
    }
  }
  const found: { pid: number; type: string }[] = [];
  const queue = [process.pid];
  while (queue.length) {
    const pid = queue.shift()!;
    for (const c of children.get(pid) ?? []) {
      queue.push(c);
      try {
        const type = /--type=([a-z-]+)/.exec(readFileSync(`/proc/${c}/cmdline`, "utf8"))?.[1];
        if (type === "renderer") found.push({ pid: c, type: "renderer" });
        if (type === "gpu-process") found.push({ pid: c, type: "gpu" });
      } catch {
        // gone
      }
    }
  }
  return found;
}

/** Summed CPU ms: the renderer's main thread, its dedicated workers, the GPU process. */
function cpuNow(): { main: number; workers: number; gpu: number } {
  const r = { main: 0, workers: 0, gpu: 0 };
  for (const p of chromiumProcesses()) {
    const threads = threadCpu(p.pid);
    if (p.type === "gpu") for (const ms of threads.values()) r.gpu += ms;
    if (p.type !== "renderer") continue;
    for (const [name, ms] of threads) {
      // The main thread is the one whose id is the process's (its name is the process's name).
      if (name.endsWith(`#${p.pid}`)) r.main += ms;
      if (name.startsWith("DedicatedWorker")) r.workers += ms;
    }
  }
  return r;
}

/**
 * Bytes our origin sent to the context's pages and their workers from now on: Playwright's request
 * sizes (encoded body + headers) of finished requests, which include the dedicated workers' fetches
 * (a page's CDP Network domain does not see those); a response from the HTTP cache counts 0.
 */
function countBytes(ctx: BrowserContext, origin: string): () => { bytes: number; files: [string, number][] } {
  const files: [string, number][] = [];
  ctx.on("requestfinished", (r) => {
    if (!r.url().startsWith(origin)) return;
    void r.sizes().then(async (z) => {
      const cached = (await r.response())?.fromServiceWorker() ? true : false;
      files.push([r.url().slice(origin.length), cached ? 0 : z.responseBodySize + z.responseHeadersSize]);
    }, () => undefined);
  });
  return () => ({ bytes: files.reduce((a, [, b]) => a + b, 0), files: [...files] });
}

async function main() {
  const dbUrl = execFileSync(process.execPath, ["scripts/create-test-db.mjs"], { encoding: "utf8" }).trim();
  const server = await startServer("serve", dbUrl, { LOG_LEVEL: "warn" });
  const base = `http://localhost:${server.port}`;
  const dir = mkdtempSync(join(tmpdir(), "tic-bench-widget-"));
  try {
    const world = await widgetWorld(base, dbUrl);
    execFileSync("espeak-ng", ["-v", "en-us", "-s", "150", "-w", join(dir, "speech.wav"), "This is a long sentence that the avatars lipsync while the bench measures how much work each one costs the browser."]);
    const host = await startHost(world, { "/speech.wav": { type: "audio/wav", body: readFileSync(join(dir, "speech.wav")) } });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...BASE_FLAGS, ...WEBGPU_FLAGS, "--autoplay-policy=no-user-gesture-required"] });
    const pageFor = (n: number) =>
      host.page(`bench-${n}`, `<audio id="voice" src="/speech.wav" loop></audio>${Array.from({ length: n }, (_, i) => `<tic-avatar id="a${i}" avatar-id="${world.avatarId}" assets-url="/assets" mode="audio" size="256"></tic-avatar>`).join("")}
<script>window.__t={};document.addEventListener("ready",()=>window.__t.ready??=performance.now());document.addEventListener("status",(e)=>{if(e.detail.status==="idle")window.__t.idle=performance.now();});
window.__play=async()=>{const a=document.getElementById("voice");await a.play();for(const el of document.querySelectorAll("tic-avatar"))await el.attachAudio(a);};</script>`);

    const load = async (ctx: BrowserContext, label: string) => {
      const page = await ctx.newPage();
      const bytes = countBytes(ctx, base);
      await page.goto(pageFor(1));
      await page.waitForFunction(() => (window as unknown as { __t: { ready?: number } }).__t.ready !== undefined, null, { timeout: 120_000 });
      const first = bytes();
      await page.waitForFunction(() => (window as unknown as { __t: { idle?: number } }).__t.idle !== undefined, null, { timeout: 120_000 });
      const t = await page.evaluate(() => (window as unknown as { __t: { ready: number; idle: number } }).__t);
      const all = bytes();
      const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
      line(`load → first frame, ${label}`, `${t.ready.toFixed(0)} ms`, `(audio mode's model + runtime loaded at ${t.idle.toFixed(0)} ms)`);
      line(`bytes from our origin to the first frame, ${label}`, kib(first.bytes), `${first.files.length} responses`);
      line(`bytes from our origin incl. model + runtime, ${label}`, kib(all.bytes), all.files.sort((a, b) => b[1] - a[1]).slice(0, 4).map(([u, b]) => `${u.split("/").pop()} ${kib(b)}`).join(", "));
      await page.close();
    };
    const ctx = await browser.newContext();
    await load(ctx, "cold cache");
    await load(ctx, "warm cache");
    await ctx.close();

    for (const n of AVATARS) {
      const c = await browser.newContext();
      const page = await c.newPage();
      await page.goto(pageFor(n));
      await page.waitForFunction((k) => document.querySelectorAll("tic-avatar[data-status=idle]").length === k, n, { timeout: 120_000 });
      await page.evaluate(() => (window as unknown as { __play: () => Promise<void> }).__play());
      await page.waitForTimeout(2000);
      const c0 = cpuNow();
      const t0 = performance.now();
      await page.waitForTimeout(SECONDS * 1000);
      const c1 = cpuNow();
      const wall = (performance.now() - t0) / 1000;
      const fps = await page.evaluate(() => [...document.querySelectorAll("tic-avatar")].map((el) => (el as unknown as { stats(): { fps: number } }).stats().fps));
      const per = (k: "main" | "workers" | "gpu") => ((c1[k] - c0[k]) / wall / n).toFixed(1);
      line(`${n} avatar(s) of 256 px, fps each`, fps.join(","));
      line(`  CPU per avatar: main thread`, `${per("main")} ms/s`);
      line(`  CPU per avatar: workers (render + lipsync)`, `${per("workers")} ms/s`);
      line(`  CPU per avatar: GPU process (SwiftShader)`, `${per("gpu")} ms/s`);
      await c.close();
    }

    // The transports the widget chooses between, for the same questions in this run, on this server and avatar.
    const n = Number(process.env.BENCH_WEBRTC_QUESTIONS ?? 5);
    printTransportLatency(await measureTransportLatency({ origin: base, apiKey: world.key, avatarId: world.avatarId, questions: (await benchQuestions(n)).questions }), n);
    await browser.close();
    await host.close();
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
