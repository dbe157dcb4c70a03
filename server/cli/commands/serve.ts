import "server-only";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "../../db/client";
import { databaseKind, getEnv } from "../../env";
import { seedDemoTenant } from "../../ops/demo-seed";
import { localSecret } from "../../ops/local-secrets";
import { CliUsageError, type CliCommand } from "../command";
import { runChild, serverExitCode, stepExitCode } from "../run-child";

const usage = "tic-avatar serve [--port N] [--seed-demo] [--rebuild]";
/** What a build runs before `next build`; package.json's "build" runs the same script (scripts/prebuild.mjs). */
export const PREBUILD_SCRIPT = "scripts/prebuild.mjs";
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
    const env = getEnv();
    const port = values.port === undefined ? env.PORT : Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CliUsageError(`--port must be 1-65535, got "${values.port}".`);
    const dataDir = resolve(env.DATA_DIR);
    // A local run needs no configuration: the session secret is generated once and kept in the data folder
    // and handed to next-server through its environment.
    if (!env.AUTH_SECRET) {
      if (env.NODE_ENV === "production" && env.TIC_REQUIRE_SECRETS) throw new CliUsageError("AUTH_SECRET is required.");
      process.env.AUTH_SECRET = localSecret(dataDir, "auth-secret");
    }
    process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
    process.env.AUTH_TRUST_HOST ??= "true";

    if (values.rebuild || !existsSync(resolve(".next/BUILD_ID"))) {
      process.stdout.write("tic-avatar serve: no production build found, building (one-time, ~1-3 min)…\n");
      if (existsSync(PREBUILD_SCRIPT)) {
        const prebuilt = stepExitCode(await runChild(process.execPath, [PREBUILD_SCRIPT]));
        if (prebuilt !== 0) return prebuilt;
      }
      const built = stepExitCode(await runChild(process.execPath, [NEXT_BIN, "build"], { env: { ...process.env, NODE_ENV: "production" } }));
      if (built !== 0) return built;
    }

    // Migrate (and seed) before Next starts, so a failing migration stops here with its message. An embedded
    // database is let go again: next-server claims the folder and shares it with every other local process.
    const handle = await openDatabase(env.DATABASE_URL);
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
    process.stdout.write(`tic-avatar serve: database ${databaseKind(env.DATABASE_URL)}, listening on http://localhost:${port}\n`);
    // Next.js behind a gate that answers the requests it cannot handle (server/http/request-gate.mjs).
    const outcome = await runChild(process.execPath, [NEXT_SERVER, "--port", String(port)], { env: { ...process.env, NODE_ENV: "production" } });
    const code = serverExitCode(outcome);
    if (code !== 0) process.stderr.write(`tic-avatar serve: next-server exited unexpectedly (${outcome.signal ?? `code ${outcome.code}`}).\n`);
    return code;
  },
};

export default command;
