import "server-only";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { PGlite as PGliteClient } from "@electric-sql/pglite";
import type { DbHandle } from "./client";
import { MIGRATIONS, openNodePostgres } from "./node-postgres";
import { claimFolder } from "./pglite-owner";
import { guestPoolConfig, shareDatabase } from "./pglite-share";
import * as schema from "./schema";

export type EmbeddedOptions = {
  migrate: boolean;
  /** Serve the folder to other processes while open (the long-lived server); otherwise hold it alone. */
  share: boolean;
  /** How long to wait for an owner that does not share the folder (a CLI command) to let it go. */
  waitMs?: number;
};

/**
 * Opens the embedded database: `memory://` in this process; a folder through whichever process owns
 * it, or, when none does, by claiming it (one process at a time has a PGlite folder open).
 */
export async function openEmbedded(configured: string, options: EmbeddedOptions): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  if (configured.startsWith("memory://")) {
    const client = new PGlite(configured);
    return { db: await inProcess(client, options.migrate), kind: "pglite", close: () => client.close() };
  }
  const dir = resolve(/*turbopackIgnore: true*/ process.cwd(), configured);
  mkdirSync(dir, { recursive: true });
  const claim = await claimFolder(dir, { waitMs: options.waitMs });
  if (claim.kind === "guest") return openNodePostgres(guestPoolConfig(claim.endpoint), { migrate: options.migrate, kind: "pglite" });
  let client: PGliteClient | undefined;
  try {
    client = new PGlite(dir);
    const db = await inProcess(client, options.migrate);
    const shared = options.share ? await shareDatabase(client, claim.runDir) : undefined;
    if (shared) claim.advertise(shared.endpoint);
    const opened = client;
    return {
      db,
      kind: "pglite",
      close: async () => {
        claim.advertise(undefined); // claimants wait instead of judging the closing socket dead
        await shared?.stop();
        await opened.close();
        claim.release();
      },
    };
  } catch (error) {
    await client?.close().catch(() => undefined);
    claim.release();
    throw error;
  }
}

async function inProcess(client: PGliteClient, migrate: boolean): Promise<DbHandle["db"]> {
  const { drizzle } = await import("drizzle-orm/pglite");
  const db = drizzle(client, { schema });
  if (migrate) await (await import("drizzle-orm/pglite/migrator")).migrate(db, { migrationsFolder: MIGRATIONS });
  return db as unknown as DbHandle["db"];
}
