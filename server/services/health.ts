import "server-only";
import { sql } from "drizzle-orm";
import { getDb, getDbKind } from "../db/client";
import { getEnv } from "../env";
import { logger } from "../logger";

const TIMEOUT_MS = 3000;

/** Status, version and a timed `select 1` against the configured database. */
export async function checkHealth() {
  // TIC_APP_VERSION is not read at run time: next.config.mjs writes the package version into the build.
  const version = getEnv().APP_VERSION ?? process.env.TIC_APP_VERSION ?? "0.0.0";
  const started = performance.now();
  try {
    const probe = (async () => {
      const db = await getDb();
      await db.execute(sql`select 1`);
      return getDbKind();
    })();
    const driver = await Promise.race([
      probe,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref()),
    ]);
    return { status: "ok" as const, version, database: { status: "ok" as const, driver, latencyMs: Math.round(performance.now() - started) } };
  } catch (error) {
    logger.warn({ err: error }, "health check: database unreachable");
    return {
      status: "degraded" as const,
      version,
      database: { status: "unreachable" as const, error: error instanceof Error ? error.message.split("\n")[0] : String(error) },
    };
  }
}
