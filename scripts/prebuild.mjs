#!/usr/bin/env node
// What every production build needs before `next build`, in one list for both ways a build starts:
// `npm run build` and `tic-avatar serve` building on first start (server/cli/commands/serve.ts).
// The two had drifted: serve built no widget, so /widget.js answered 404 after `npm start`.
//   copy-ort-wasm.mjs  ONNX Runtime Web's wasm into public/ort/ (served from our origin)
//   build-widget.mjs   the embeddable widget into public/widget.js and public/widget/
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
for (const script of ["copy-ort-wasm.mjs", "build-widget.mjs"]) {
  const run = spawnSync(process.execPath, [join(here, script)], { stdio: "inherit" });
  if (run.status !== 0) {
    console.error(`prebuild: ${script} failed (exit ${run.status ?? run.signal})`);
    process.exit(run.status ?? 1);
  }
}
