import { defineConfig } from "@playwright/test";
import { BASE_FLAGS, CHROMIUM, WEBGPU_FLAGS } from "./e2e/chromium";

const PORT = Number(process.env.E2E_PORT ?? 3100);

// The suite runs the production server on a fresh embedded database (scripts/test-all.sh wipes data/e2e).
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
  webServer: {
    command: `node bin/tic-avatar.mjs serve --port ${PORT}`,
    url: `http://localhost:${PORT}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      DATA_DIR: "data/e2e",
      PGLITE_DATA_DIR: "data/e2e/pglite",
      DATABASE_URL: "",
      LOG_LEVEL: "warn",
    },
  },
});
