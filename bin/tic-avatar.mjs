#!/usr/bin/env node
// Entry point of the `tic-avatar` CLI. The commands are TypeScript loaded through tsx, with the
// react-server condition so modules guarded by `server-only` load outside Next.js.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const tsx = pathToFileURL(require.resolve("tsx", { paths: [root] })).href;
const result = spawnSync(
  process.execPath,
  ["--conditions=react-server", "--import", tsx, join(root, "server/cli/main.ts"), ...process.argv.slice(2)],
  { stdio: "inherit", env: { ...process.env, TSX_TSCONFIG_PATH: join(root, "tsconfig.json") } },
);
if (result.error) {
  process.stderr.write(`tic-avatar: ${result.error.message}\n`);
  process.exit(1);
}
process.exit(result.status ?? (result.signal ? 128 + 15 : 1));
