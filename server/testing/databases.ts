import "server-only";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Db } from "../db/client";
import { preparationsSettled } from "../services/realtime/schedule";

/** The PostgreSQL server integration tests use; each test run gets its own fresh database on it. */
// TEST_PG_ADMIN_URL is the older name, still honoured (bench:api/turn set it from BENCH_PG_ADMIN_URL).
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? process.env.TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type TestDatabase = { kind: "pglite" | "postgres"; db: Db; url?: string; close: () => Promise<void> };

/** A migrated in-memory PGlite database. */
export async function pgliteTestDb(): Promise<TestDatabase> {
  const handle = await openDatabase(undefined, { pgliteDir: "memory://" });
  return {
    kind: "pglite",
    db: handle.db,
    async close() {
      await preparationsSettled(handle.db); // background avatar preparations write to this database
      await handle.close();
    },
  };
}

/** Creates an empty PostgreSQL database on the test server; `drop()` removes it (terminating leftover connections). */
export async function createPgDatabase(prefix = "tic_test"): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A fresh, migrated database on the real PostgreSQL server, dropped on close. */
export async function postgresTestDb(): Promise<TestDatabase> {
  const created = await createPgDatabase();
  const handle = await openDatabase(created.url);
  return {
    kind: "postgres",
    db: handle.db,
    url: created.url,
    async close() {
      await preparationsSettled(handle.db);
      await handle.close();
      await created.drop();
    },
  };
}

/** Both drivers, for suites that must hold on each. */
export const TEST_DATABASES = [
  ["pglite", pgliteTestDb],
  ["postgres", postgresTestDb],
] as const;
