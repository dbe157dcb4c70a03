import "server-only";
import { createServer, type Server } from "node:http";
import { readFileSync, existsSync } from "node:fs";
import { join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import type { EvalItem } from "./eval-set";
import { encodeWav } from "@/server/media/wav";
import { BASE_FLAGS, CHROMIUM } from "@/e2e/chromium";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

// Page script: the real LipsyncClient + worker, streaming 100 ms pushes like the Node figure.
const PAGE_ENTRY = `
import { LipsyncClient } from "@/workers/lipsync/client";
import { VISEMES } from "@/core/visemes/visemes";
async function readWav(url) {
  const b = new DataView(await (await fetch(url)).arrayBuffer());
  const n = (b.byteLength - 44) / 2, x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = b.getInt16(44 + 2 * i, true) / 32768;
  return x;
}
window.runBench = async (names) => {
  const client = new LipsyncClient(new Worker("/worker.js", { type: "module" }));
  const ready = await client.init({ ep: "wasm" });
  let roundTripMs = 0, seconds = 0; const predictions = [];
  for (const name of names) {
    const x = await readWav("/eval/" + name + ".wav");
    seconds += x.length / 16000;
    await client.open(name, 16000);
    const frames = [];
    for (let i = 0; i < x.length; i += 1600) {
      const t0 = performance.now();
      frames.push(...(await client.push(name, x.slice(i, i + 1600))));
      roundTripMs += performance.now() - t0;
    }
    const t0 = performance.now();
    frames.push(...(await client.end(name)));
    roundTripMs += performance.now() - t0;
    predictions.push(frames.map((f) => VISEMES.indexOf(f.viseme)));
  }
  const computeMs = client.computeMs;
  // the same audio as whole files (one analyze request each): the offline path
  for (const name of names) await client.analyze(await readWav("/eval/" + name + ".wav"), 16000);
  const wholeFileMs = client.computeMs - computeMs;
  client.terminate();
  return { computeMs, wholeFileMs, roundTripMs, seconds, predictions, warmupMs: ready.warmupMs };
};
window.benchReady = true;
`;

async function bundle() {
  const common = { bundle: true, format: "esm" as const, platform: "browser" as const, write: false, alias: { "@": ROOT }, logLevel: "silent" as const };
  const worker = await build({ ...common, entryPoints: [join(ROOT, "workers/lipsync/worker.ts")] });
  const page = await build({ ...common, stdin: { contents: PAGE_ENTRY, resolveDir: ROOT, loader: "ts" } });
  return { worker: worker.outputFiles![0]!.text, page: page.outputFiles![0]!.text };
}

function serve(files: Record<string, { body: string | Buffer; type: string }>): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const url = (req.url ?? "/").split("?")[0]!;
    const f = files[url];
    const fromPublic = join(ROOT, "public", normalize(url));
    if (f) {
      res.writeHead(200, { "content-type": f.type });
      res.end(f.body);
    } else if ((url.startsWith("/ort/") || url.startsWith("/models/")) && existsSync(fromPublic)) {
      res.writeHead(200, { "content-type": url.endsWith(".wasm") ? "application/wasm" : url.endsWith(".mjs") ? "text/javascript" : "application/octet-stream" });
      res.end(readFileSync(fromPublic));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as { port: number }).port })));
}

/**
 * Runs the lipsync worker (onnxruntime-web, WASM EP, 1 thread) in headless
 * Chromium on the same items; returns the worker's own compute ms per audio
 * second (and the page's round trip, messaging included) and the per-frame
 * viseme indices for comparison with Node.
 */
export async function runBrowserBench(items: EvalItem[]) {
  if (!existsSync(join(ROOT, "public/ort"))) throw new Error("public/ort missing: run node scripts/copy-ort-wasm.mjs");
  const { worker, page } = await bundle();
  const files: Record<string, { body: string | Buffer; type: string }> = {
    "/": { body: `<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>`, type: "text/html" },
    "/page.js": { body: page, type: "text/javascript" },
    "/worker.js": { body: worker, type: "text/javascript" },
  };
  for (const it of items) files[`/eval/${it.name}.wav`] = { body: encodeWav(it.samples, 16000), type: "audio/wav" };
  const { server, port } = await serve(files);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: BASE_FLAGS });
  try {
    const tab = await browser.newPage();
    await tab.goto(`http://localhost:${port}/`);
    await tab.waitForFunction(() => (window as unknown as { benchReady?: boolean }).benchReady === true);
    const r = await tab.evaluate(
      (names) => (window as unknown as { runBench: (n: string[]) => Promise<{ computeMs: number; wholeFileMs: number; roundTripMs: number; seconds: number; predictions: number[][]; warmupMs: number }> }).runBench(names),
      items.map((i) => i.name),
    );
    return {
      msPerAudioSecond: r.computeMs / r.seconds,
      wholeFileMsPerAudioSecond: r.wholeFileMs / r.seconds,
      roundTripMsPerAudioSecond: r.roundTripMs / r.seconds,
      seconds: r.seconds,
      predictions: r.predictions,
      warmupMs: r.warmupMs,
      agreement: 0,
    };
  } finally {
    await browser.close();
    server.close();
  }
}
