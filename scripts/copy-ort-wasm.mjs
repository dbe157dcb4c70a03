#!/usr/bin/env node
// Copies ONNX Runtime Web's wasm binaries and their loader modules into public/ort/ so the
// browser loads them from our own origin (ort.env.wasm.wasmPaths = "/ort/"), never a CDN.
// public/ort/ is git-ignored; `npm run build` runs this first.
import { copyFileSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
let dist;
try {
  dist = dirname(require.resolve("onnxruntime-web", { paths: [root] })); // .../onnxruntime-web/dist/ort.min.js
} catch {
  console.error("copy-ort-wasm: onnxruntime-web is not installed; run `npm install` first");
  process.exit(1);
}
const out = join(root, "public", "ort");
mkdirSync(out, { recursive: true });
let bytes = 0;
const files = readdirSync(dist).filter((f) => /^ort-wasm.*\.(wasm|mjs)$/.test(f));
for (const f of files) {
  copyFileSync(join(dist, f), join(out, f));
  bytes += statSync(join(out, f)).size;
}
console.log(`copy-ort-wasm: ${files.length} files (${(bytes / 1e6).toFixed(1)} MB) -> public/ort/`);
