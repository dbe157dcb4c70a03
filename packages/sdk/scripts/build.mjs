// Builds realtime-avatar to ESM + .d.ts with tsc. The SDK imports core/mux by relative path (one
// source of truth for the wire format); tsc compiles it under dist/core/mux beside dist/packages/sdk.
// Sources use extensionless relative imports (bundler resolution, like the rest of the repo), so the
// emitted files get ".js" appended to relative specifiers to be valid Node/browser ESM.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(pkg, "dist");
rmSync(dist, { recursive: true, force: true });
const tsc = join(pkg, "../../node_modules/typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(pkg, "tsconfig.build.json")], { stdio: "inherit", cwd: pkg });

const SPECIFIER = /(\bfrom\s*["']|\bimport\s*\(\s*["']|\bimport\s*["'])(\.{1,2}\/[^"']*?)(["'])/g;
function fix(file) {
  const src = readFileSync(file, "utf8");
  const out = src.replace(SPECIFIER, (m, pre, spec, post) => {
    if (/\.(m?js|json)$/.test(spec)) return m;
    const base = resolve(dirname(file), spec);
    const target = statSync(base, { throwIfNoEntry: false })?.isDirectory() ? `${spec}/index.js` : `${spec}.js`;
    return `${pre}${target}${post}`;
  });
  if (out !== src) writeFileSync(file, out);
}
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith(".js") || p.endsWith(".d.ts")) fix(p);
  }
}
walk(dist);
console.log("built", dist);
