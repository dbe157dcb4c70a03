import "server-only";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { Db } from "../db/client";
import { useTestDatabase } from "../http/testing/test-api";

export type TestWorld = { db: Db; storageDir: string };

/**
 * A test file's database and file storage, set up before its tests and removed after: a fresh
 * database (PostgreSQL unless `kind` says otherwise) behind getDb(), and STORAGE_DIR pointing at an
 * empty folder. Read `db` inside tests (beforeAll fills it in); hooks the file registers later run
 * after this one's setup and before its teardown.
 */
export function useTestWorld(name: string, kind: "postgres" | "pglite" = "postgres"): TestWorld {
  const world = { storageDir: mkdtempSync(join(tmpdir(), `tic-${name}-`)) } as TestWorld;
  let cleanup: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    process.env.STORAGE_DIR = world.storageDir;
    ({ db: world.db, cleanup } = await useTestDatabase(kind));
  });
  afterAll(async () => {
    await cleanup();
    rmSync(world.storageDir, { recursive: true, force: true });
  });
  return world;
}
