import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { newId } from "@/core/ids/new-id";
import { storableJsonObject, storableText } from "@/core/text/storable";
import type { Db } from "../db/client";
import { avatars } from "../db/schema";
import { AppError } from "../errors";
import { findAsset } from "./assets/assets";
import { schedulePreparation } from "./realtime/schedule";

export const DEFAULT_MODEL_ID = "tic-portrait-v1";
export type AvatarRow = typeof avatars.$inferSelect;
export type AvatarStatus = AvatarRow["status"];

// settings/metadata are free-form objects; a size bound keeps one row from becoming a blob store.
const jsonObject = (field: string) => storableJsonObject(field, { maxChars: 16_384 });

/** CreateAvatarRequest (additionalProperties: false). */
export const createAvatarInput = z
  .object({
    displayName: storableText.trim().min(1).max(160),
    sourceKind: z.enum(["image", "video"]),
    modelId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/, "modelId must be a model id such as tic-portrait-v1").optional(),
    sourceAssetId: storableText.min(1).max(64).optional(),
    defaultVoiceId: storableText.min(8).max(160).optional(),
    settings: jsonObject("settings").optional(),
    metadata: jsonObject("metadata").optional(),
  })
  .strict();

/** UpdateAvatarRequest (additionalProperties: false; at least one field). */
export const updateAvatarInput = z
  .object({
    displayName: storableText.trim().min(1).max(160).optional(),
    defaultVoiceId: storableText.min(8).max(160).nullable().optional(),
    settings: jsonObject("settings").optional(),
    metadata: jsonObject("metadata").optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "provide at least one of displayName, defaultVoiceId, settings, metadata" });

export type CreateAvatarInput = z.infer<typeof createAvatarInput>;
export type UpdateAvatarInput = z.infer<typeof updateAvatarInput>;

/** The public (contract) shape of an avatar. */
export function toAvatarDto(row: AvatarRow) {
  return {
    id: row.id,
    tenantId: row.tenantId,
    displayName: row.displayName,
    sourceKind: row.sourceKind,
    modelId: row.modelId,
    sourceAssetId: row.sourceAssetId,
    status: row.status,
    failureReason: row.failureReason,
    defaultVoiceId: row.defaultVoiceId,
    settings: row.settings,
    metadata: row.metadata,
    cacheManifestId: row.cacheManifestId,
    cacheVersion: row.cacheVersion,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type AvatarDto = ReturnType<typeof toAvatarDto>;

const live = (tenantId: string) => and(eq(avatars.tenantId, tenantId), isNull(avatars.deletedAt));
const notFound = () => new AppError("not_found", "Avatar not found in this workspace; list avatars with GET /api/v1/avatars.");

// GET /api/v1/avatars is a hot path: a prepared statement skips drizzle's per-call query building
// (about half the CPU of each list call, measured by the bench:api author). One per database handle.
function prepareAvatarList(db: Db) {
  return db
    .select()
    .from(avatars)
    .where(and(eq(avatars.tenantId, sql.placeholder("tenantId")), isNull(avatars.deletedAt)))
    .orderBy(desc(avatars.createdAt), desc(avatars.id))
    .limit(sql.placeholder("limit"))
    .prepare("avatars_by_tenant");
}
const avatarLists = new WeakMap<Db, ReturnType<typeof prepareAvatarList>>();

/** The tenant's avatars, newest first; deleted ones are gone from the list. */
export function listAvatars(db: Db, tenantId: string, options: { limit?: number } = {}): Promise<AvatarRow[]> {
  let list = avatarLists.get(db);
  if (!list) avatarLists.set(db, (list = prepareAvatarList(db)));
  return list.execute({ tenantId, limit: Math.min(options.limit ?? 200, 500) });
}

/** One avatar of the tenant; another tenant's id or a deleted avatar is not_found. */
export async function getAvatar(db: Db, tenantId: string, avatarId: string): Promise<AvatarRow> {
  const [row] = await db.select().from(avatars).where(and(eq(avatars.id, avatarId), live(tenantId))).limit(1);
  if (!row) throw notFound();
  return row;
}

/** Creates a draft avatar, from an asset of the same tenant whose kind matches `sourceKind` when one is named. */
export async function createAvatar(db: Db, tenantId: string, raw: CreateAvatarInput): Promise<AvatarRow> {
  const input = createAvatarInput.parse(raw);
  if (input.sourceAssetId) {
    // Another tenant's asset is reported exactly like a missing one.
    const asset = await findAsset(db, tenantId, input.sourceAssetId);
    if (!asset) {
      throw new AppError("invalid_input", "sourceAssetId: no asset with this id in your workspace; upload one with POST /api/v1/assets.", { field: "sourceAssetId" });
    }
    if (asset.kind !== input.sourceKind) {
      throw new AppError("invalid_input", `sourceAssetId: the asset is ${asset.kind === "image" ? "an" : "a"} ${asset.kind} but sourceKind is '${input.sourceKind}'; they must match.`, {
        field: "sourceAssetId",
      });
    }
  }
  const [row] = await db
    .insert(avatars)
    .values({
      id: newId("ava"),
      tenantId,
      displayName: input.displayName,
      sourceKind: input.sourceKind,
      modelId: input.modelId ?? DEFAULT_MODEL_ID,
      sourceAssetId: input.sourceAssetId ?? null,
      status: "draft",
      defaultVoiceId: input.defaultVoiceId ?? null,
      settings: input.settings ?? {},
      metadata: input.metadata ?? {},
    })
    .returning();
  // An avatar made from a portrait or a source video is prepared for realtime in the background (→ ready | failed).
  if (row!.sourceAssetId) await schedulePreparation(db, tenantId, row!.id);
  return row!;
}

/** Updates the given fields of a live avatar. */
export async function updateAvatar(db: Db, tenantId: string, avatarId: string, raw: UpdateAvatarInput): Promise<AvatarRow> {
  const input = updateAvatarInput.parse(raw);
  const [row] = await db
    .update(avatars)
    .set({ ...input, updatedAt: sql`now()` })
    .where(and(eq(avatars.id, avatarId), live(tenantId)))
    .returning();
  if (!row) throw notFound();
  return row;
}

/** Soft-deletes: the row stays (status `deleted`, deletedAt set) but list and get no longer see it. */
export async function deleteAvatar(db: Db, tenantId: string, avatarId: string): Promise<void> {
  const rows = await db
    .update(avatars)
    .set({ status: "deleted", deletedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(avatars.id, avatarId), live(tenantId)))
    .returning({ id: avatars.id });
  if (rows.length === 0) throw notFound();
}

// The lifecycle: draft → preprocessing → ready | failed; failed/ready may be preprocessed again;
// any live avatar may be disabled, and a disabled one returns to draft. `deleted` is only reached by delete.
const TRANSITIONS: Record<AvatarStatus, readonly AvatarStatus[]> = {
  draft: ["preprocessing", "disabled"],
  preprocessing: ["ready", "failed", "disabled"],
  ready: ["preprocessing", "disabled"],
  failed: ["preprocessing", "disabled"],
  disabled: ["draft"],
  deleted: [],
};

/** Whether the lifecycle allows moving from one status to another. */
export function canTransition(from: AvatarStatus, to: AvatarStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Moves an avatar along its lifecycle (engine and dashboard); an illegal move is a conflict. */
export async function setAvatarStatus(db: Db, tenantId: string, avatarId: string, to: AvatarStatus, failureReason?: string): Promise<AvatarRow> {
  const current = await getAvatar(db, tenantId, avatarId);
  if (!canTransition(current.status, to)) {
    throw new AppError("conflict", `Avatar is ${current.status}; it cannot become ${to}.`, { field: "status" });
  }
  // Compare-and-set on the old status so two concurrent moves cannot both win.
  const [row] = await db
    .update(avatars)
    .set({ status: to, failureReason: to === "failed" ? (failureReason ?? "preprocessing failed") : null, updatedAt: sql`now()` })
    .where(and(eq(avatars.id, avatarId), live(tenantId), eq(avatars.status, current.status)))
    .returning();
  if (!row) throw new AppError("conflict", "Avatar changed while updating its status; retry.", { retryable: true });
  return row;
}
