import "server-only";
import { resolve } from "node:path";
import type { PoolConfig } from "pg";
import { logger } from "../logger";
import type { DbHandle } from "./client";
import * as schema from "./schema";

/** The generated migrations every driver applies on open. */
export const MIGRATIONS = resolve(/*turbopackIgnore: true*/ process.cwd(), "drizzle");

// Several app instances (and workers) starting together each migrate on open: the advisory lock makes
// them take turns, so the first applies what is pending and the rest find nothing to do, instead of
// racing to create the same tables. The lock and the migration share one session (released when it
// ends at the latest): a PGlite shared over its socket serves one connection at a time, so a second
// connection for the migration would wait forever behind the one holding the lock.
const MIGRATION_LOCK = 0x7469_6361; // "tica"

async function migrateLocked(pool: import("pg").Pool, migrate: (client: import("pg").PoolClient) => Promise<void>): Promise<void> {
  const lock = await pool.connect();
  try {
    await lock.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await migrate(lock);
  } finally {
    await lock.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    lock.release();
  }
}

/** A node-postgres pool as the drizzle database (PostgreSQL, or a PGlite another process shares), migrated on open. */
export async function openNodePostgres(config: PoolConfig, options: { migrate: boolean; kind: DbHandle["kind"] }): Promise<DbHandle> {
  const pg = (await import("pg")).default;
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const pool = new pg.Pool(config);
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on("error", (error) => logger.warn({ err: error }, "postgres pool client error"));
  const db = drizzle(pool, { schema });
  try {
    if (options.migrate) {
      const { migrate } = await import("drizzle-orm/node-postgres/migrator");
      await migrateLocked(pool, (client) => migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS }));
    }
  } catch (error) {
    await pool.end().catch(() => undefined); // an unreachable server must not leave a pool behind
    throw error;
  }
  return { db: db as unknown as DbHandle["db"], kind: options.kind, close: () => pool.end() };
}
