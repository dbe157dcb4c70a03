#!/usr/bin/env node
// Entry point of the `tic-avatar` CLI. The commands are TypeScript loaded through tsx, with the
// react-server condition so modules guarded by `server-only` load outside Next.js.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const tsx = pathToFileURL(require.resolve("tsx", { paths: [root] })).href;
const child = spawn(
  process.execPath,
  ["--conditions=react-server", "--import", tsx, join(root, "server/cli/main.ts"), ...process.argv.slice(2)],
  { stdio: "inherit", env: { ...process.env, TSX_TSCONFIG_PATH: join(root, "tsconfig.json") } },
);
// A stop request to this process is the command's to handle (serve stops its server); this process
// only waits, so a process manager that signals this pid stops the whole tree.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
child.on("error", (error) => {
  process.stderr.write(`tic-avatar: ${error.message}\n`);
  process.exit(1);
});
child.on("exit", (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 15)));
