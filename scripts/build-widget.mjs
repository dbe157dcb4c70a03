#!/usr/bin/env node
// Builds the embeddable widget (docs/widget.md) with esbuild into public/, served by the Next app
// from our own origin:
//   public/widget.js                      the loader (defines <tic-avatar>; short cache, never hashed)
//   public/widget/core-<hash>.js          the player, session and renderer client (loaded on connect)
//   public/widget/render-worker-<hash>.js the render worker (WebGPU + canvas2d tiers)
//   public/widget/lipsync-worker-<hash>.js the viseme model worker (loaded after the first frame, audio mode only)
//   public/widget/ort-<hash>/             ONNX Runtime Web's wasm + loader (lazy)
//   public/widget/visemes-<hash>.onnx     the viseme model (lazy)
// Hashed files get `Cache-Control: public, max-age=31536000, immutable` (next.config.mjs headers()).
// Both are git-ignored; `npm run build` and `npm run dev` run this first. --watch rebuilds on change.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { clearTimeout, setTimeout } from "node:timers";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const hash = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 12);

const common = {
  bundle: true,
  minify: true,
  write: false,
  platform: "browser",
  target: ["chrome113", "safari17", "firefox121"],
  loader: { ".wgsl": "text" },
  tsconfig: join(root, "tsconfig.json"),
  legalComments: "none",
  logLevel: "warning",
  define: { "process.env.NODE_ENV": '"production"' },
};

/** Bundles one entry to a single ESM (or IIFE) file and returns its text. */
async function bundle(entry, format, define = {}) {
  const r = await build({ ...common, entryPoints: [join(root, entry)], format, define: { ...common.define, ...define } });
  return r.outputFiles[0].contents;
}

/** Builds into `publicDir` (public/ by default; the size test builds into a temporary folder) and returns what it wrote with gzip sizes. */
export async function buildWidget(publicDir = join(root, "public")) {
  const out = join(publicDir, "widget");
  const emit = (name, ext, bytes) => {
    const file = `${name}-${hash(bytes)}${ext}`;
    writeFileSync(join(out, file), bytes);
    return file;
  };
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // ONNX Runtime's files keep their own names (it asks for them by name under wasmPaths), in a folder named by their joint hash.
  const ortDist = dirname(require.resolve("onnxruntime-web", { paths: [root] }));
  const ortFiles = readdirSync(ortDist).filter((f) => /^ort-wasm-simd-threaded\.(jsep\.)?(wasm|mjs)$/.test(f)).sort();
  const ortHash = hash(Buffer.concat(ortFiles.map((f) => readFileSync(join(ortDist, f)))));
  const ortDir = `ort-${ortHash}`;
  mkdirSync(join(out, ortDir));
  for (const f of ortFiles) copyFileSync(join(ortDist, f), join(out, ortDir, f));
  const model = emit("visemes", ".onnx", readFileSync(join(root, "public/models/visemes-v5.onnx")));

  const renderWorker = emit("render-worker", ".js", await bundle("workers/render/render-worker.ts", "esm"));
  const lipsyncWorker = emit("lipsync-worker", ".js", await bundle("workers/lipsync/worker.ts", "esm"));
  const assets = { renderWorker, lipsyncWorker, ortDir: `${ortDir}/`, model };
  const core = emit("core", ".js", await bundle("app/_widget/widget-core.ts", "esm", { __TIC_WIDGET_ASSETS__: JSON.stringify(assets) }));
  const loader = await bundle("app/_widget/loader.ts", "iife", { __TIC_WIDGET_CORE__: JSON.stringify(core) });
  writeFileSync(join(publicDir, "widget.js"), loader);

  const gz = (f) => gzipSync(readFileSync(join(out, f)), { level: 9 }).length;
  const manifest = {
    loader: { file: "widget.js", bytes: loader.length, gzip: gzipSync(loader, { level: 9 }).length },
    core: { file: core, gzip: gz(core) },
    renderWorker: { file: renderWorker, gzip: gz(renderWorker) },
    lipsyncWorker: { file: lipsyncWorker, gzip: gz(lipsyncWorker) },
    model: { file: model },
    ortDir,
  };
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`build-widget: loader ${kb(manifest.loader.gzip)} gz, core ${kb(manifest.core.gzip)} gz, render worker ${kb(manifest.renderWorker.gzip)} gz, lipsync worker ${kb(manifest.lipsyncWorker.gzip)} gz -> public/widget/`);
  return manifest;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildWidget();
  if (process.argv.includes("--watch")) {
    const { watch } = await import("node:fs");
    let timer = null;
    for (const dir of ["app/_widget", "app/_stage", "workers", "packages/sdk/src", "core"]) {
      watch(join(root, dir), { recursive: true }, () => {
        clearTimeout(timer);
        timer = setTimeout(() => buildWidget().catch((e) => console.error(e)), 200);
      });
    }
  }
}
