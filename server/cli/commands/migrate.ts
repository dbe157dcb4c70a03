import "server-only";
import { openDatabase } from "../../db/client";
import { databaseKind, getEnv } from "../../env";
import type { CliCommand } from "../command";

// The release step of a deploy (docs/deployment.md): applies pending migrations once, before the new
// instances start. Instances still check on start; with nothing pending that is one query each.

const command: CliCommand = {
  name: "migrate",
  summary: "Apply pending database migrations and exit (run once per deploy).",
  usage: "tic-avatar migrate",
  async run() {
    const url = getEnv().DATABASE_URL;
    const started = Date.now();
    const handle = await openDatabase(url, { migrate: true });
    await handle.close();
    process.stdout.write(`tic-avatar migrate: ${databaseKind(url)} database up to date (${Date.now() - started} ms)\n`);
    return 0;
  },
};

export default command;
