import "server-only";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "../../db/client";
import { databaseKind } from "../../env";
import { seedDemoTenant } from "../../ops/demo-seed";
import { localSecret } from "../../ops/local-secrets";
import { CliUsageError, type CliCommand } from "../command";

const usage = "tic-avatar serve [--port N] [--seed-demo] [--rebuild]";
const NEXT_BIN = resolve(process.cwd(), "node_modules/next/dist/bin/next");
const NEXT_SERVER = resolve(process.cwd(), "server/http/next-server.mjs");

const command: CliCommand = {
  name: "serve",
  summary: "Run the production server (builds first when no build exists).",
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { port: { type: "string" }, "seed-demo": { type: "boolean" }, rebuild: { type: "boolean" } },
    });
    const port = Number(values.port ?? process.env.PORT ?? 3000);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CliUsageError(`--port must be 1-65535, got "${values.port}".`);
    const dataDir = resolve(process.env.DATA_DIR ?? "data");
    // A local run needs no configuration: the session secret is generated once and kept in the data folder.
    if (!process.env.AUTH_SECRET) {
      if (process.env.NODE_ENV === "production" && process.env.TIC_REQUIRE_SECRETS === "1") throw new CliUsageError("AUTH_SECRET is required.");
      process.env.AUTH_SECRET = localSecret(dataDir, "auth-secret");
    }
    process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
    process.env.AUTH_TRUST_HOST ??= "true";

    if (values.rebuild || !existsSync(resolve(".next/BUILD_ID"))) {
      process.stdout.write("tic-avatar serve: no production build found, building (one-time, ~1-3 min)…\n");
      const build = spawnSync(process.execPath, ["scripts/copy-ort-wasm.mjs"], { stdio: "inherit" });
      if (build.status !== 0 && existsSync("scripts/copy-ort-wasm.mjs")) return build.status ?? 1;
      const next = spawnSync(process.execPath, [NEXT_BIN, "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
      if (next.status !== 0) return next.status ?? 1;
    }

    // Migrate (and seed) before Next starts: PGlite allows one process on its folder at a time.
    const handle = await openDatabase(process.env.DATABASE_URL || undefined);
    try {
      if (values["seed-demo"]) {
        const demo = await seedDemoTenant(handle.db, dataDir);
        process.stdout.write(
          `\n  Demo workspace ready. Sign in at http://localhost:${port}/sign-in\n    email:    ${demo.email}\n    password: ${demo.password}\n\n`,
        );
      }
    } finally {
      await handle.close();
    }
    process.stdout.write(`tic-avatar serve: database ${databaseKind(process.env.DATABASE_URL || undefined)}, listening on http://localhost:${port}\n`);
    // Next.js behind a gate that answers the requests it cannot handle (server/http/request-gate.mjs).
    const child = spawn(process.execPath, [NEXT_SERVER, "--port", String(port)], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
    return new Promise((done) => child.on("exit", (code, signal) => done(code ?? (signal ? 0 : 1))));
  },
};

export default command;
