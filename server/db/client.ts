import "server-only";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { databaseKind, getEnv } from "../env";
import { processState } from "../process-state";
import { MIGRATIONS, openNodePostgres } from "./node-postgres";
import { openEmbedded } from "./pglite-open";
import * as schema from "./schema";

/** The drizzle database every query uses, whatever the driver underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** An open database: the drizzle handle, its driver, and how to close it. */
export type DbHandle = { db: Db; kind: "pglite" | "neon" | "postgres"; close: () => Promise<void> };

export type OpenOptions = {
  /** The embedded database's folder (or "memory://"); PGLITE_DATA_DIR when unset. */
  pgliteDir?: string;
  migrate?: boolean;
  /** The long-lived server: holds the embedded database and serves it to every other local process. */
  share?: boolean;
  /** How long to wait for a command that holds the embedded database alone. */
  waitMs?: number;
};

/** Opens a database for a URL (or the embedded PGlite when none) and applies pending migrations. */
export async function openDatabase(url: string | undefined, options: OpenOptions = {}): Promise<DbHandle> {
  const kind = databaseKind(url);
  const migrate = options.migrate ?? true;
  if (kind === "pglite") {
    return openEmbedded(options.pgliteDir ?? getEnv().PGLITE_DATA_DIR, { migrate, share: options.share ?? false, waitMs: options.waitMs });
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
  return openNodePostgres({ connectionString: url, max: getEnv().DATABASE_POOL_MAX }, { migrate, kind });
}

const state = processState("db", () => ({ open: undefined as Promise<DbHandle> | undefined }), closeOpen);

async function closeOpen(s: { open?: Promise<DbHandle> }): Promise<void> {
  const open = s.open;
  s.open = undefined;
  await (await open?.catch(() => undefined))?.close();
}

/** The process-wide database selected by DATABASE_URL, migrated on first use; an embedded one is shared with other local processes. */
export function getDb(): Promise<Db> {
  return handle().then((h) => h.db);
}

function handle(): Promise<DbHandle> {
  state.open ??= openDatabase(getEnv().DATABASE_URL, { share: true }).catch((error: unknown) => {
    state.open = undefined;
    throw error;
  });
  return state.open;
}

/** Which driver the process-wide database uses. */
export async function getDbKind() {
  return (await handle()).kind;
}

/** Closes the process-wide database (tests, shutdown); the next getDb() opens it again. */
export function closeDb(): Promise<void> {
  return closeOpen(state);
}
