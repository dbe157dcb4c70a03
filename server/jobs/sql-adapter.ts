import "server-only";
import type { Db } from "../db/client";

/** What pg-boss runs its SQL through: one text (with $n values, or several statements without). */
export type SqlRunner = { executeSql: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }> };

type PgliteLike = { exec: (sql: string) => Promise<{ rows: unknown[] }[]>; query: (sql: string, values?: unknown[]) => Promise<{ rows: unknown[] }> };
type PoolLike = { query: (sql: string, values?: unknown[]) => Promise<{ rows: unknown[] }> };

/**
 * The queue runs on the same connection pool (or in-process PGlite) as the drizzle database it is
 * given, so an embedded database needs no second opener: in the process that owns PGlite the queue's
 * SQL runs in process, everywhere else through the pool (PostgreSQL, Neon, or a PGlite guest socket).
 */
export function sqlRunnerOf(db: Db): SqlRunner {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (!client || typeof (client as PoolLike).query !== "function") throw new Error("the job queue needs a database opened by openDatabase (no $client found)");
  if (typeof (client as PgliteLike).exec === "function") {
    const pglite = client as PgliteLike;
    // PGlite's query() is one statement on the extended protocol; pg-boss sends parameterless
    // multi-statement scripts (BEGIN; …; COMMIT) that only the simple protocol (exec) runs.
    return {
      executeSql: async (text, values) => (values && values.length > 0 ? pglite.query(text, values) : ((await pglite.exec(text)).at(-1) ?? { rows: [] })),
    };
  }
  const pool = client as PoolLike;
  return { executeSql: (text, values) => pool.query(text, values) };
}
