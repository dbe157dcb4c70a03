import "server-only";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Db } from "../db/client";

/** The PostgreSQL server integration tests use; each test run gets its own fresh database on it. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type TestDatabase = { kind: "pglite" | "postgres"; db: Db; url?: string; close: () => Promise<void> };

/** A migrated in-memory PGlite database. */
export async function pgliteTestDb(): Promise<TestDatabase> {
  const handle = await openDatabase(undefined, { pgliteDir: "memory://" });
  return { kind: "pglite", db: handle.db, close: handle.close };
}

/** A fresh, migrated database on the real PostgreSQL server, dropped on close. */
export async function postgresTestDb(): Promise<TestDatabase> {
  const name = `tic_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase(url.toString());
  return {
    kind: "postgres",
    db: handle.db,
    url: url.toString(),
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** Both drivers, for suites that must hold on each. */
export const TEST_DATABASES = [
  ["pglite", pgliteTestDb],
  ["postgres", postgresTestDb],
] as const;
