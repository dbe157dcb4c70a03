import "server-only";
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";
import { chromium, type Browser, type Page } from "@playwright/test";
import { BASE_FLAGS, CHROMIUM, WEBGPU_FLAGS as SWIFTSHADER_WEBGPU_FLAGS } from "@/e2e/chromium";
import type { FrameInput } from "@/core/render/deform";
import type { Rig } from "@/core/render/rig";
import type { LoopPlan } from "@/core/video/video-frames";
import type { RenderProbe } from "@/workers/test-hooks";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Chromium flags that expose WebGPU through SwiftShader on GPU-less machines; one list, shared with the e2e suite. */
export const WEBGPU_FLAGS = [...BASE_FLAGS, ...SWIFTSHADER_WEBGPU_FLAGS];

async function bundle(entry: string): Promise<string> {
  const r = await build({
    entryPoints: [`${root}${entry}`],
    bundle: true,
    format: "esm",
    write: false,
    target: "es2022",
    tsconfig: `${root}tsconfig.json`,
    // The worker imports its WGSL as a string, as the Next build bundles it.
    loader: { ".wgsl": "text" },
    logLevel: "silent",
  });
  return r.outputFiles[0]!.text;
}

/**
 * Serves the render harness (workers/render/harness-page.ts, bundled with esbuild) on a loopback
 * port: a secure context without a Next build, for the PSNR test and the bench; `video` adds a
 * source-video loop (open with ?video=1).
 */
export async function startRenderHarness(rig: Rig, portraitPng: Uint8Array, video?: { mp4: Uint8Array; plan: LoopPlan }): Promise<{ url: string; close: () => Promise<void> }> {
  const files: Record<string, { type: string; body: string | Uint8Array }> = {
    "/": { type: "text/html", body: '<!doctype html><meta charset="utf-8"><body style="margin:0"><script type="module" src="/harness.js"></script>' },
    "/harness.js": { type: "text/javascript", body: await bundle("workers/render/harness-page.ts") },
    "/render-worker.js": { type: "text/javascript", body: await bundle("workers/render/render-worker.ts") },
    "/rig.json": { type: "application/json", body: JSON.stringify(rig) },
    "/portrait.png": { type: "image/png", body: portraitPng },
    ...(video ? { "/loop.mp4": { type: "video/mp4", body: video.mp4 }, "/loop.json": { type: "application/json", body: JSON.stringify(video.plan) } } : {}),
  };
  const server: Server = createServer((req, res) => {
    const f = files[(req.url ?? "/").split("?")[0]!];
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": f.type, "cache-control": "no-store" }).end(f.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://localhost:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Headless Debian Chromium; `webgpu: false` launches it without the flags, so requestAdapter() is null. */
export function launchChromium(opts: { webgpu: boolean }): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: opts.webgpu ? WEBGPU_FLAGS : ["--no-sandbox"],
  });
}

/** Opens the harness and waits for the renderer; returns its tier. */
export async function openHarness(
  page: Page,
  url: string,
  tier?: string,
  extraQuery = "",
): Promise<{ tier: string; fallbackReason?: string; adapter?: string }> {
  const query = [tier ? `tier=${tier}` : "", extraQuery].filter(Boolean).join("&");
  await page.goto(query ? `${url}?${query}` : url);
  await page.waitForFunction(() => window.__tic?.render !== undefined || window.__tic?.renderError !== undefined, null, { timeout: 60_000 });
  const err = await page.evaluate(() => window.__tic?.renderError);
  if (err) throw new Error(`render harness failed: ${err}`);
  return page.evaluate(() => {
    const h = window.__tic!.render as RenderProbe;
    return { tier: h.tier, fallbackReason: h.fallbackReason, adapter: h.adapter };
  });
}

/** Renders a frame in the page's renderer and returns its RGBA pixels. */
export async function renderInPage(page: Page, frame: FrameInput): Promise<Uint8Array> {
  const b64 = await page.evaluate((f) => window.__tic!.render!.render(f), frame);
  return new Uint8Array(Buffer.from(b64, "base64"));
}

/** Peak signal-to-noise ratio of two RGBA images over their RGB channels (dB; Infinity when equal). */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  let se = 0;
  let n = 0;
  for (let i = 0; i < a.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      const d = a[i + c]! - b[i + c]!;
      se += d * d;
    }
    n += 3;
  }
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / n));
}
