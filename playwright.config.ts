import { execFileSync } from "node:child_process";
import { defineConfig } from "@playwright/test";
import { BASE_FLAGS, CHROMIUM, WEBGPU_FLAGS } from "./e2e/chromium";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const PG_PORT = PORT + 1;

// A second server runs on a fresh PostgreSQL database, so the specs cover both drivers; the CLI calls
// in e2e/platform-shell.spec.ts use it. (A CLI beside a PGlite server reaches the server's database
// through the server, server/db/pglite-owner.ts: e2e/serve-process.spec.ts covers that.)
const E2E_DATABASE_URL = (process.env.E2E_DATABASE_URL ??= execFileSync(process.execPath, ["scripts/create-test-db.mjs"], { encoding: "utf8" }).trim());
process.env.E2E_PG_BASE_URL = `http://localhost:${PG_PORT}`;

/** The README's serve command on `port`, ready when /api/health answers. */
const serve = (port: number, env: Record<string, string>) => ({
  command: `node bin/tic-avatar.mjs serve --port ${port}`,
  url: `http://localhost:${port}/api/health`,
  timeout: 300_000,
  reuseExistingServer: false,
  stdout: "ignore" as const,
  stderr: "pipe" as const,
  env: { LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1", ...env },
});

// The lab (/lab benches, the window.__tic hook) is on where the specs drive it, and off on the
// PostgreSQL server, which shows the production default: /lab answers 404 (e2e/lab-gate.spec.ts).
const labEnv = { ENABLE_LAB: "1" };

// Both servers are the production build (scripts/test-all.sh builds first) started by the README's serve command.
export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: CHROMIUM, args: [...BASE_FLAGS, ...WEBGPU_FLAGS] },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: [
    serve(PORT, { ...labEnv, DATA_DIR: "data/e2e", PGLITE_DATA_DIR: "data/e2e/pglite", DATABASE_URL: "" }),
    serve(PG_PORT, { DATA_DIR: "data/e2e-pg", DATABASE_URL: E2E_DATABASE_URL }),
  ],
});
