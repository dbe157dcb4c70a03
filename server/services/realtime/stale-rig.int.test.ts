// An avatar whose stored rig cannot be compiled: before the rig builder refused faces it cannot
// animate, such a rig was stored and the avatar marked ready, and then every turn failed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/server/db/client";
import { avatarManifests } from "@/server/db/schema";
import { callRoute, useTestDatabase } from "@/server/http/testing/test-api";
import { clearRigCache } from "./rig-cache";
import { createPortraitAvatar, decodeTurn, loadRoutes, seedCaller, type Routes } from "./testing/turn-fixture";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const storageDir = mkdtempSync(join(tmpdir(), "tic-stale-rig-"));
let db: Db;
let cleanup: () => Promise<void>;
let routes: Routes;
let caller: { tenantId: string; key: string };

beforeAll(async () => {
  process.env.STORAGE_DIR = storageDir;
  ({ db, cleanup } = await useTestDatabase("postgres"));
  routes = await loadRoutes();
  caller = await seedCaller(db, 100_000_000);
});
afterAll(async () => {
  await cleanup();
  rmSync(storageDir, { recursive: true, force: true });
});

const prepare = (id: string) => callRoute(routes.prepare, { method: "POST", path: "/api/v1/realtime/prepare", key: caller.key, body: { avatar_id: id } });
const turn = (id: string) =>
  callRoute(routes.turn, { method: "POST", path: "/api/v1/realtime/turn", key: caller.key, body: { avatar_id: id, mode: "speak_text", text: "Hi.", playout_delay_ms: 2000 } });

describe("a stored rig that cannot be compiled", () => {
  it("answers turns 409 'prepare again', and prepare rebuilds it (was a RangeError on every turn, forever)", async () => {
    const avatarId = await createPortraitAvatar(routes, caller.key);
    expect((await prepare(avatarId)).status).toBe(200);
    const [row] = await db.select().from(avatarManifests).where(and(eq(avatarManifests.tenantId, caller.tenantId), eq(avatarManifests.avatarId, avatarId)));
    const rig = row!.rig as { mesh: { mouthCols: number[] } };
    await db
      .update(avatarManifests)
      .set({ rig: { ...rig, mesh: { ...rig.mesh, mouthCols: [14, -1] } } })
      .where(and(eq(avatarManifests.tenantId, caller.tenantId), eq(avatarManifests.id, row!.id)));
    clearRigCache();

    const refused = await turn(avatarId);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/prepare again/);

    const again = await prepare(avatarId);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: "ready", registered: true });
    const spoken = await turn(avatarId);
    expect(spoken.status).toBe(200);
    expect((await decodeTurn(spoken)).at(-1)).toMatchObject({ kind: "end", reason: "complete" });
  });
});
