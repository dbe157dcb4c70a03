import "server-only";
import { compileRig, type MeshModel } from "@/core/render/model";
import type { RgbaImage } from "@/core/render/raster";
import type { Rig } from "@/core/render/rig";
import { RigError } from "@/core/render/rig-error";
import { processState } from "@/server/process-state";

/** A prepared avatar as the turn engine holds it: the rig, compiled once, plus lazily framed textures. */
export type RigEntry = {
  manifestId: string;
  version: number;
  tenantId: string;
  avatarId: string;
  sourceSha256: string;
  sourceAssetId: string;
  rig: Rig;
  model: MeshModel;
  /** Framed portrait per output size, for server rendering (filled on first use). */
  textures: Map<number, Promise<RgbaImage>>;
};

const MAX_ENTRIES = 64;
// Map keeps insertion order: re-inserting on every hit makes the first key the least recently used.
const entries = processState("rigCache", () => new Map<string, RigEntry>(), (m) => m.clear());

/** The cached entry of a manifest, marking it recently used. */
export function getRigEntry(manifestId: string): RigEntry | undefined {
  const hit = entries.get(manifestId);
  if (hit) {
    entries.delete(manifestId);
    entries.set(manifestId, hit);
  }
  return hit;
}

/** Compiles a manifest's rig and caches it (evicting the least recently used entry when full). */
export function putRigEntry(input: Omit<RigEntry, "model" | "textures">): RigEntry {
  const entry: RigEntry = { ...input, model: compileRig(input.rig), textures: new Map() };
  entries.delete(input.manifestId);
  entries.set(input.manifestId, entry);
  while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  return entry;
}

/**
 * putRigEntry for a manifest read from the database: undefined when its rig does not compile (one
 * stored before the builder refused faces it cannot animate), so the caller rebuilds it.
 */
export function putStoredRig(input: Omit<RigEntry, "model" | "textures">): RigEntry | undefined {
  try {
    return putRigEntry(input);
  } catch (error) {
    if (error instanceof RigError) return undefined;
    throw error;
  }
}

/** Drops every cached entry (tests, and a process that wants its memory back). */
export function clearRigCache(): void {
  entries.clear();
}
