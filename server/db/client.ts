import "server-only";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { databaseKind, getEnv } from "../env";
import { logger } from "../logger";
import * as schema from "./schema";

/** The drizzle database every query uses, whatever the driver underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

type Handle = { db: Db; kind: "pglite" | "neon" | "postgres"; close: () => Promise<void> };

const MIGRATIONS = resolve(/*turbopackIgnore: true*/ process.cwd(), "drizzle");

/** Opens a database for a URL (or the embedded PGlite when none) and applies pending migrations. */
export async function openDatabase(url: string | undefined, options: { pgliteDir?: string; migrate?: boolean } = {}): Promise<Handle> {
  const kind = databaseKind(url);
  const migrate = options.migrate ?? true;
  if (kind === "pglite") {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const configured = options.pgliteDir ?? getEnv().PGLITE_DATA_DIR;
    // "memory://" is PGlite's in-memory database (tests); anything else is a folder.
    const dir = configured.startsWith("memory://") ? configured : resolve(/*turbopackIgnore: true*/ process.cwd(), configured);
    if (!dir.startsWith("memory://")) mkdirSync(dir, { recursive: true });
    const client = new PGlite(dir);
    const db = drizzle(client, { schema });
    if (migrate) await (await import("drizzle-orm/pglite/migrator")).migrate(db, { migrationsFolder: MIGRATIONS });
    return { db: db as unknown as Db, kind, close: () => client.close() };
  }
  if (kind === "neon") {
    const { Pool, neonConfig } = await import("@neondatabase/serverless");
    const { drizzle } = await import("drizzle-orm/neon-serverless");
    const ws = (await import("ws")).default;
    neonConfig.webSocketConstructor = ws;
    const pool = new Pool({ connectionString: url });
    const db = drizzle(pool, { schema });
    if (migrate) await (await import("drizzle-orm/neon-serverless/migrator")).migrate(db, { migrationsFolder: MIGRATIONS });
    return { db: db as unknown as Db, kind, close: () => pool.end() };
  }
  const pg = (await import("pg")).default;
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_MAX ?? 20) });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on("error", (error) => logger.warn({ err: error }, "postgres pool client error"));
  const db = drizzle(pool, { schema });
  try {
    if (migrate) await (await import("drizzle-orm/node-postgres/migrator")).migrate(db, { migrationsFolder: MIGRATIONS });
  } catch (error) {
    await pool.end().catch(() => undefined); // an unreachable server must not leave a pool behind
    throw error;
  }
  return { db: db as unknown as Db, kind, close: () => pool.end() };
}

// One handle per process; kept on globalThis so Next's dev reloads don't open a second PGlite on the same folder.
const globalForDb = globalThis as unknown as { ticDb?: Promise<Handle> };

/** The process-wide database selected by DATABASE_URL, migrated on first use. */
export function getDb(): Promise<Db> {
  globalForDb.ticDb ??= openDatabase(getEnv().DATABASE_URL).catch((error: unknown) => {
    globalForDb.ticDb = undefined;
    throw error;
  });
  return globalForDb.ticDb.then((h) => h.db);
}

/** Which driver the process-wide database uses. */
export async function getDbKind() {
  await getDb();
  return (await globalForDb.ticDb!).kind;
}
