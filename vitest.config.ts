import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
// `server-only` throws outside a React Server bundle; tests exercise server code directly.
const alias = {
  "@": root,
  "server-only": fileURLToPath(new URL("./scripts/empty-module.mjs", import.meta.url)),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["{core,server,workers,app,packages,scripts,bench}/**/*.test.{ts,tsx}"],
          exclude: ["**/*.int.test.{ts,tsx}", "**/node_modules/**"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["{core,server,workers,app,packages,scripts,bench}/**/*.int.test.{ts,tsx}"],
          exclude: ["**/node_modules/**"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Two files at a time: each file gets its own database (server/testing/databases.ts), worker
          // process and environment, and most of a file's time is spent waiting on subprocesses, sockets
          // and PostgreSQL, so two overlap well on a 2-core machine (2026-12-03: 688 s one at a time,
          // 397 s two at a time, same 913 tests). More would oversubscribe the cores that the
          // subprocesses (ffmpeg, speech models, servers under test) need.
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
    ],
  },
});
