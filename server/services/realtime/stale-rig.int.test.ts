// An avatar whose stored rig cannot be compiled: before the rig builder refused faces it cannot
// animate, such a rig was stored and the avatar marked ready, and then every turn failed.
import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { avatarManifests } from "@/server/db/schema";
import { callRoute } from "@/server/http/testing/test-api";
import { clearRigCache } from "./rig-cache";
import { createPortraitAvatar, decodeTurn, useRouteWorld } from "./testing/turn-fixture";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const world = useRouteWorld("stale-rig", 100_000_000);

const prepare = (id: string) => callRoute(world.routes.prepare, { method: "POST", path: "/api/v1/realtime/prepare", key: world.caller.key, body: { avatar_id: id } });
const turn = (id: string) =>
  callRoute(world.routes.turn, { method: "POST", path: "/api/v1/realtime/turn", key: world.caller.key, body: { avatar_id: id, mode: "speak_text", text: "Hi.", playout_delay_ms: 2000 } });

describe("a stored rig that cannot be compiled", () => {
  it("answers turns 409 'prepare again', and prepare rebuilds it (was a RangeError on every turn, forever)", async () => {
    const avatarId = await createPortraitAvatar(world.routes, world.caller.key);
    expect((await prepare(avatarId)).status).toBe(200);
    const [row] = await world.db.select().from(avatarManifests).where(and(eq(avatarManifests.tenantId, world.caller.tenantId), eq(avatarManifests.avatarId, avatarId)));
    const rig = row!.rig as { mesh: { mouthCols: number[] } };
    await world.db
      .update(avatarManifests)
      .set({ rig: { ...rig, mesh: { ...rig.mesh, mouthCols: [14, -1] } } })
      .where(and(eq(avatarManifests.tenantId, world.caller.tenantId), eq(avatarManifests.id, row!.id)));
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
