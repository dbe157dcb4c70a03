import "server-only";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { asc, eq } from "drizzle-orm";
import type { Rig } from "@/core/render/rig";
import type { Db } from "@/server/db/client";
import { avatarPresets } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { getRigEntry, putRigEntry, type RigEntry } from "../realtime/rig-cache";
import { getStorage } from "../storage";

// The platform's preset avatars: ready portraits every workspace may speak as by name (seed 001's
// `avatar`). Built-in ones ship in the repository with their prepared rig; an operator adds more
// with `tic-avatar admin add-preset` (avatar_presets). Seed 001's own names (african_man …) are
// not ours to invent pictures for, so only portraits we hold the rights to are here.

/** A preset name: lower-case words joined by `_`, as seed 001 spells its avatars. */
export const PRESET_NAME = /^[a-z][a-z0-9_]{1,39}$/;

type BuiltIn = { name: string; displayName: string; image: string; rig: string };
const BUILT_IN: BuiltIn[] = [
  // NASA portrait of Eileen Collins (public domain; /work/shared/fixtures/README.md), also the demo avatar.
  { name: "astronaut", displayName: "Astronaut", image: "public/demo/astronaut.png", rig: "public/demo/astronaut.rig.json" },
];

export type Preset = { name: string; displayName: string; builtIn: boolean };
/** A preset ready to render: its compiled rig (cached like a workspace avatar's) and portrait bytes. */
export type PresetLook = { preset: Preset; entry: RigEntry; image: Uint8Array };

/** Every preset's name, built-in first, then the operator's in name order. */
export async function listPresets(db: Db): Promise<Preset[]> {
  const added = await db.select({ name: avatarPresets.name, displayName: avatarPresets.displayName }).from(avatarPresets).orderBy(asc(avatarPresets.name));
  const builtIn = BUILT_IN.map((b) => ({ name: b.name, displayName: b.displayName, builtIn: true }));
  return [...builtIn, ...added.filter((a) => !BUILT_IN.some((b) => b.name === a.name)).map((a) => ({ ...a, builtIn: false }))];
}

/** The named preset, else the coded 422 `unknown_avatar` listing the names there are. */
export async function findPreset(db: Db, name: string): Promise<Preset> {
  const all = await listPresets(db);
  const hit = all.find((p) => p.name === name);
  if (!hit) {
    throw new AppError("unknown_avatar", `avatar: "${name.slice(0, 40)}" is not a preset avatar. Available presets: ${all.map((p) => p.name).join(", ")}; or pass avatar_id for one of your workspace's avatars.`, {
      kind: "invalid_input",
      field: "avatar",
    });
  }
  return hit;
}

/** The preset's rig and portrait for rendering. */
export async function presetLook(db: Db, name: string): Promise<PresetLook> {
  const preset = await findPreset(db, name);
  const built = BUILT_IN.find((b) => b.name === name);
  if (built) {
    const [image, rigJson] = await Promise.all([readFile(join(process.cwd(), built.image)), readFile(join(process.cwd(), built.rig), "utf8")]);
    return { preset, image: new Uint8Array(image), entry: cachedEntry(name, sha(image), () => JSON.parse(rigJson) as Rig) };
  }
  const [row] = await db.select().from(avatarPresets).where(eq(avatarPresets.name, name)).limit(1);
  if (!row) throw new AppError("unknown_avatar", `avatar: the preset "${name}" was just removed.`, { kind: "invalid_input", field: "avatar" });
  const stream = await getStorage().get(row.storageKey);
  if (!stream) throw new AppError("unavailable", `The preset avatar "${name}" is missing its portrait in storage; an operator must add it again.`, { retryable: false });
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return { preset, image: new Uint8Array(Buffer.concat(chunks)), entry: cachedEntry(name, row.sha256, () => row.rig as unknown as Rig) };
}

function cachedEntry(name: string, sourceSha256: string, rig: () => Rig): RigEntry {
  // Keyed by the bytes too, so a preset re-added from another image is not drawn with the old rig.
  const manifestId = `preset:${name}:${sourceSha256.slice(0, 16)}`;
  return getRigEntry(manifestId) ?? putRigEntry({ manifestId, version: 0, tenantId: "", avatarId: "", sourceSha256, sourceAssetId: "", rig: rig() });
}

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Adds (or replaces) an operator's preset from a prepared portrait; the file at `imagePath` is consumed by storage. */
export async function savePreset(db: Db, input: { name: string; displayName: string; imagePath: string; image: Uint8Array; contentType: string; ext: string; rig: Rig }): Promise<Preset> {
  if (!PRESET_NAME.test(input.name)) throw new AppError("invalid_input", "name: 2–40 lower-case letters, digits or _, starting with a letter.", { field: "name" });
  if (BUILT_IN.some((b) => b.name === input.name)) throw new AppError("conflict", `"${input.name}" is a built-in preset; choose another name.`, { field: "name" });
  const digest = sha(input.image);
  const storageKey = `presets/${input.name}-${digest.slice(0, 12)}.${input.ext}`;
  await getStorage().putFile(storageKey, input.imagePath, input.contentType);
  const values = { name: input.name, displayName: input.displayName, storageKey, sha256: digest, rig: input.rig as unknown as Record<string, unknown> };
  await db.insert(avatarPresets).values(values).onConflictDoUpdate({ target: avatarPresets.name, set: values });
  return { name: input.name, displayName: input.displayName, builtIn: false };
}
