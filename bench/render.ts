/**
 * npm run bench:render — the rendering figures of the closing note, in one run:
 *   prepare     ms per portrait (cold process incl. model load, then warm)
 *   server CPU  ms per 512x512 frame: deformation + rasterisation, and incl. JPEG encoding (one libvips thread)
 *   browser     ms per 512x512 frame in headless Chromium, WebGPU on SwiftShader (GPU completion awaited)
 *   PSNR        WebGPU frame vs the server CPU frame (open / mid-vowel / closed)
 *   lipsync     wall time of `tic-avatar lipsync` for 10 s of espeak-ng speech (a fresh process, as a user runs it)
 *
 *   --frames N   frames per timing loop (default 200)     --skip-browser   --skip-lipsync
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { deformFrame, type FrameInput } from "@/core/render/deform";
import { ExpressionBlend } from "@/core/render/expression";
import { compileRig } from "@/core/render/model";
import { RESTING_MOUTH } from "@/core/render/mouth";
import { SoftwareRasterizer } from "@/core/render/raster";
import { preparePortrait } from "@/server/portrait/prepare";
import { launchChromium, openHarness, psnr, renderInPage, startRenderHarness } from "@/server/render/browser-harness";
import { encodeJpeg } from "@/server/render/frame-encoder";
import { framedPortrait } from "@/server/render/framing";

const argv = process.argv.slice(2);
const FRAMES = Number(argv[argv.indexOf("--frames") + 1] || 200) || 200;
const S = 512;
const root = new URL("../", import.meta.url).pathname;
const portraitPath = join(root, "public/demo/astronaut.png");
const png = readFileSync(portraitPath);
sharp.concurrency(1);

// A speaking face: vowels and closures, an emotion changing every 2 s (blended), speech gestures.
const blend = new ExpressionBlend("neutral");
const frameAt = (i: number): FrameInput => ({
  mouth: { ...RESTING_MOUTH, jawOpen: 0.5 + 0.5 * Math.sin(i * 0.7), lipWidth: 0.3, lipsPressed: i % 9 === 0 ? 1 : 0 },
  idle: { timeSec: i / 25, listening: 0 },
  face: { expression: blend.at(["happy", "serious", "curious"][Math.floor(i / 50) % 3]!, i / 25), gesture: { brow: (i % 20) / 20, nod: (i % 13) / 13 } },
});
const fmt = (v: number) => v.toFixed(2);
const line = (what: string, value: string, target = "") => console.log(`${what.padEnd(46)} ${value.padStart(10)}  ${target}`);

async function benchPrepare() {
  const shifted = await sharp({ create: { width: 1200, height: 900, channels: 3, background: "#8890a0" } })
    .composite([{ input: png, left: 500, top: 200 }])
    .jpeg()
    .toBuffer();
  const cold = await preparePortrait(png);
  line("prepare, first portrait (cold: + model load)", `${fmt(cold.timings.totalMs)} ms`, "target <= 1500 ms");
  console.log(`  steps: ${JSON.stringify(cold.timings)}`);
  const warm: number[] = [];
  for (const img of [png, shifted, png, shifted]) warm.push((await preparePortrait(img)).timings.totalMs);
  line("prepare, next portraits (warm, mean of 4)", `${fmt(warm.reduce((a, b) => a + b) / warm.length)} ms`, "target <= 1500 ms");
  return cold.rig;
}

async function benchCpu(rig: Awaited<ReturnType<typeof benchPrepare>>) {
  const model = compileRig(rig);
  const raster = new SoftwareRasterizer(model, await framedPortrait(png, rig, S));
  const out = new Uint8Array(S * S * 4);
  const vertices = new Float32Array(model.template.length);
  for (let i = 0; i < 30; i++) raster.render(deformFrame(model, frameAt(i), vertices), out);
  // Wall time and process CPU time: on a shared machine the CPU time is the single-core cost.
  const timed = async (fn: (i: number) => unknown) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < FRAMES; i++) await fn(i);
    const c = process.cpuUsage(c0);
    return { wall: (performance.now() - t0) / FRAMES, cpu: (c.user + c.system) / 1000 / FRAMES };
  };
  const r = await timed((i) => raster.render(deformFrame(model, frameAt(i), vertices), out));
  let bytes = 0;
  const j = await timed(async (i) => {
    raster.render(deformFrame(model, frameAt(i), vertices), out);
    bytes += (await encodeJpeg(out, S)).length;
  });
  line("server CPU, deform + rasterise (512x512)", `${fmt(r.cpu)} ms`, `cpu time (wall ${fmt(r.wall)} ms)`);
  line("server CPU, + JPEG q80 encode (one thread)", `${fmt(j.cpu)} ms`, `cpu time (wall ${fmt(j.wall)} ms), target <= 10 ms, ${Math.round(bytes / FRAMES / 1024)} KiB/frame`);
  return (f: FrameInput) => {
    const o = new Uint8Array(S * S * 4);
    raster.render(deformFrame(model, f), o);
    return o;
  };
}

async function benchBrowser(rig: Awaited<ReturnType<typeof benchPrepare>>, cpu: (f: FrameInput) => Uint8Array) {
  const harness = await startRenderHarness(rig, png);
  const browser = await launchChromium({ webgpu: true });
  try {
    for (const tier of ["webgpu", "canvas2d"] as const) {
      const page = await browser.newPage();
      const info = await openHarness(page, harness.url, tier);
      const ms = await page.evaluate((n) => window.__tic!.render!.bench(n), FRAMES);
      // A frame time is only a WebGPU figure if the worker is still on WebGPU afterwards.
      const after = await page.evaluate(() => window.__tic!.render!.tier);
      const label = after === info.tier ? info.tier : `${info.tier} -> ${after} (fell back!)`;
      line(`browser ${label} frame, 512x512 ${info.adapter ? `(${info.adapter})` : ""}`, `${fmt(ms)} ms`, tier === "webgpu" ? "target <= 16 ms" : "");
      if (tier === "webgpu") {
        for (const [name, f] of [
          ["open", { ...frameAt(0), mouth: { ...RESTING_MOUTH, jawOpen: 0.9 } }],
          ["mid-vowel", { ...frameAt(1), mouth: { ...RESTING_MOUTH, jawOpen: 0.45, lipWidth: 0.5 } }],
          ["closed", { ...frameAt(2), mouth: { ...RESTING_MOUTH, lipsPressed: 1 } }],
        ] as const) {
          line(`PSNR WebGPU vs server CPU, ${name}`, `${fmt(psnr(await renderInPage(page, f), cpu(f)))} dB`, "target >= 35 dB");
        }
      }
      await page.close();
    }
  } finally {
    await browser.close();
    await harness.close();
  }
}

function benchLipsync() {
  const dir = mkdtempSync(join(tmpdir(), "bench-lipsync-"));
  try {
    const text =
      "The quick brown fox jumps over the lazy dog. Peter Piper picked a peck of pickled peppers. " +
      "A portrait becomes a talking face, rendered by the viewer's own graphics card, while the server waits.";
    execFileSync("espeak-ng", ["-w", join(dir, "raw.wav"), text]);
    // Exactly 10 s: trim or pad with silence.
    execFileSync("sox", [join(dir, "raw.wav"), join(dir, "speech.wav"), "pad", "0", "10", "trim", "0", "10"], { stdio: "ignore" });
    // First run with an empty rig cache (face detection included), second with the rig cached.
    const env = { ...process.env, TIC_RIG_CACHE_DIR: join(dir, "rigs") };
    for (const label of ["rig cold", "rig cached"]) {
      const t0 = performance.now();
      // /usr/bin/time also counts the CPU of the children (ffmpeg), which a loaded machine cannot hide.
      const run = spawnSync(
        "/usr/bin/time",
        ["-f", "TIME %e %U %S", process.execPath, join(root, "bin/tic-avatar.mjs"), "lipsync", "--portrait", portraitPath, "--audio", join(dir, "speech.wav"), "--out", join(dir, "out.mp4")],
        { encoding: "utf8", env },
      );
      const wall = performance.now() - t0;
      if (run.status !== 0) throw new Error(`lipsync failed: ${run.stderr}`);
      const [, , user, sys] = (run.stderr.match(/TIME .*/)?.[0] ?? "TIME 0 0 0").split(" ").map(Number);
      const load = readFileSync("/proc/loadavg", "utf8").split(" ")[0];
      line(`tic-avatar lipsync, 10 s audio, ${label} (wall)`, `${fmt(wall)} ms`, `target <= 3000 ms (load average ${load})`);
      line(`tic-avatar lipsync, 10 s audio, ${label} (CPU)`, `${fmt((user! + sys!) * 1000)} ms`, "user+sys of node and ffmpeg");
      console.log(`  ${run.stdout.trim()}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`load average at start: ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")} (2 cores shared: wall times inflate under load)`);
const rig = await benchPrepare();
const cpu = await benchCpu(rig);
if (!argv.includes("--skip-browser")) await benchBrowser(rig, cpu);
if (!argv.includes("--skip-lipsync")) benchLipsync();
