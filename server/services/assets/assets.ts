import "server-only";
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { and, desc, eq, ne } from "drizzle-orm";
import { newId } from "@/core/ids/new-id";
import type { MediaKind } from "@/core/media/sniff";
import type { Db } from "../../db/client";
import { assets } from "../../db/schema";
import type { ObjectStorage } from "../storage/storage";
import { AssetRejected } from "./asset-error";
import type { AssetLimits } from "./config";
import type { Received } from "./receive";
import { validateReceived } from "./validate";

export type AssetRow = typeof assets.$inferSelect;
export type AssetDeps = { storage: ObjectStorage; limits: AssetLimits; tmpDir?: string };
export type AssetSource = {
  /** The kind the client asked for, read lazily: a multipart `kind` field may arrive after the file. */
  expectedKind?: () => MediaKind | undefined;
  originalFilename?: string | null;
  sourceUrl?: string | null;
  metadata?: Record<string, unknown>;
};

/** The public (contract) shape of an asset; `publicUrl` is absolute, under `baseUrl`. */
export function toAssetDto(row: AssetRow, baseUrl: string) {
  return {
    id: row.id,
    tenantId: row.tenantId,
    kind: row.kind,
    status: row.status,
    contentType: row.contentType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    publicUrl: row.status === "deleted" ? null : new URL(`/files/${row.publicToken}`, baseUrl).toString(),
    originalFilename: row.originalFilename,
    width: row.width,
    height: row.height,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type AssetDto = ReturnType<typeof toAssetDto>;

/** A display-safe file name: the last path segment, printable characters only, at most 240 of them. */
export function cleanFilename(name: string | null | undefined): string | null {
  if (!name) return null;
  const base = name.split(/[\\/]/).pop() ?? "";
  // Control characters would corrupt logs and headers; drop them.
  const clean = [...base].filter((c) => c.charCodeAt(0) > 0x1f && c.charCodeAt(0) !== 0x7f).join("").trim().slice(0, 240);
  return clean || null;
}

/** Validates a fully received file, moves it into storage under a generated name and records it. */
export async function storeReceived(db: Db, tenantId: string, file: Received, source: AssetSource, deps: AssetDeps): Promise<AssetRow> {
  try {
    const checked = await validateReceived(file, deps.limits);
    const expected = source.expectedKind?.();
    if (expected && expected !== checked.sniffed.kind) {
      throw new AssetRejected("kind_mismatch", `kind is '${expected}' but the file is ${checked.sniffed.format.toUpperCase()} (${checked.sniffed.kind}); send kind '${checked.sniffed.kind}' or omit it.`, "kind");
    }
    const id = newId("ast");
    // The stored name is ours alone: no part of the client's file name reaches the filesystem or bucket.
    const storageKey = `assets/${tenantId}/${id.slice(4)}-${randomBytes(6).toString("hex")}.${checked.sniffed.extension}`;
    await deps.storage.putFile(storageKey, file.path, checked.sniffed.contentType);
    try {
      const [row] = await db
        .insert(assets)
        .values({
          id,
          tenantId,
          kind: checked.sniffed.kind,
          status: "ready",
          contentType: checked.sniffed.contentType,
          sizeBytes: file.size,
          sha256: file.sha256,
          storageKey,
          publicToken: randomBytes(32).toString("base64url"),
          originalFilename: cleanFilename(source.originalFilename),
          sourceUrl: source.sourceUrl ?? null,
          width: checked.width,
          height: checked.height,
          metadata: { ...(source.metadata ?? {}), format: checked.sniffed.format, ...(checked.durationMs !== null ? { durationMs: checked.durationMs } : {}) },
        })
        .returning();
      return row!;
    } catch (error) {
      await deps.storage.delete(storageKey).catch(() => undefined);
      throw error;
    }
  } finally {
    await rm(file.path, { force: true });
  }
}

/** The tenant's assets, newest first (deleted ones omitted). */
export function listAssets(db: Db, tenantId: string, options: { kind?: MediaKind; limit?: number } = {}): Promise<AssetRow[]> {
  const where = [eq(assets.tenantId, tenantId), ne(assets.status, "deleted")];
  if (options.kind) where.push(eq(assets.kind, options.kind));
  return db
    .select()
    .from(assets)
    .where(and(...where))
    .orderBy(desc(assets.createdAt), desc(assets.id))
    .limit(Math.min(options.limit ?? 200, 500));
}

/** One asset of the tenant, or undefined (another tenant's id is indistinguishable from a missing one). */
export async function findAsset(db: Db, tenantId: string, assetId: string): Promise<AssetRow | undefined> {
  const [row] = await db
    .select()
    .from(assets)
    .where(and(eq(assets.id, assetId), eq(assets.tenantId, tenantId), ne(assets.status, "deleted")))
    .limit(1);
  return row;
}

/** The asset a public URL's token names, for the file route (the token is the permission). */
export async function findAssetByToken(db: Db, token: string): Promise<AssetRow | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const [row] = await db
    .select()
    .from(assets)
    .where(and(eq(assets.publicToken, token), eq(assets.status, "ready")))
    .limit(1);
  return row;
}
