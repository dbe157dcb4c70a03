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
          // Integration suites share one PostgreSQL server and spawn subprocesses; run files one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
