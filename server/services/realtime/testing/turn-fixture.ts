import "server-only";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { readAvatarMux, type AvatarMuxEvent } from "@/packages/sdk/src";
import type { Db } from "@/server/db/client";
import { reservations, wallets } from "@/server/db/schema";
import type { NextRouteHandler } from "@/server/http/api-route";
import { callRoute, mintKey, seedTenant } from "@/server/http/testing/test-api";
import { useTestWorld, type TestWorld } from "@/server/testing/test-world";
import { grantCredits } from "../../credits/ledger";

// Test support for the realtime routes: a tenant with sandbox credits and a key, the demo portrait
// uploaded through the public assets route, an avatar made from it, and stream decoding.

export const PORTRAIT = join(process.cwd(), "public/demo/astronaut.png");

export type Routes = { upload: NextRouteHandler; createAvatar: NextRouteHandler; getAvatar: NextRouteHandler; prepare: NextRouteHandler; turn: NextRouteHandler; balance: NextRouteHandler };

/** The public route handlers under test (imported after the test database is set up). */
export async function loadRoutes(): Promise<Routes> {
  const [assets, avatarsRoute, avatarRoute, prepare, turn, balance] = await Promise.all([
    import("@/app/api/v1/assets/route"),
    import("@/app/api/v1/avatars/route"),
    import("@/app/api/v1/avatars/[avatarId]/route"),
    import("@/app/api/v1/realtime/prepare/route"),
    import("@/app/api/v1/realtime/turn/route"),
    import("@/app/api/v1/credits/balance/route"),
  ]);
  return { upload: assets.POST, createAvatar: avatarsRoute.POST, getAvatar: avatarRoute.GET, prepare: prepare.POST, turn: turn.POST, balance: balance.GET };
}

/** A tenant (whose sandbox wallet starts with its allowance) plus `grantMicros` more, and a key with every scope. */
export async function seedCaller(db: Db, grantMicros: number, keyInput: { spendLimitCreditMicros?: number; environment?: "test" | "live" } = {}) {
  const tenant = await seedTenant(db, { plan: "enterprise" });
  const { apiKey } = await mintKey(db, tenant.id, keyInput);
  if (grantMicros > 0) await grantCredits(db, { tenantId: tenant.id, environment: "test", amountMicros: grantMicros, reason: "test grant" });
  return { tenantId: tenant.id, key: apiKey };
}

let uploadRoute: NextRouteHandler | undefined;

/** Uploads image bytes through the public assets route; returns the asset id. */
export async function uploadImage(key: string, bytes: Uint8Array, name = "portrait.png"): Promise<string> {
  uploadRoute ??= (await import("@/app/api/v1/assets/route")).POST;
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(bytes)]), name);
  const up = await uploadRoute(new Request("http://localhost/api/v1/assets", { method: "POST", headers: { authorization: `Bearer ${key}` }, body: form }), { params: Promise.resolve({}) });
  if (up.status !== 201) throw new Error(`upload failed ${up.status}: ${await up.text()}`);
  return ((await up.json()) as { id: string }).id;
}

/** Uploads the demo portrait and creates an avatar from it (prepared in the background); returns the avatar id. */
export async function createPortraitAvatar(routes: Routes, key: string, settings: Record<string, unknown> = {}): Promise<string> {
  const assetId = await uploadImage(key, readFileSync(PORTRAIT), "astronaut.png");
  const res = await callRoute(routes.createAvatar, { method: "POST", path: "/api/v1/avatars", key, body: { displayName: "Astronaut", sourceKind: "image", sourceAssetId: assetId, settings } });
  if (res.status !== 201) throw new Error(`create avatar failed ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** The sandbox wallet's buckets. */
export async function testWallet(db: Db, tenantId: string) {
  const [w] = await db.select().from(wallets).where(and(eq(wallets.tenantId, tenantId), eq(wallets.environment, "test")));
  return w!;
}

/** The tenant's reservations (newest last). */
export function reservationsOf(db: Db, tenantId: string) {
  return db.select().from(reservations).where(eq(reservations.tenantId, tenantId)).orderBy(reservations.createdAt);
}

/** Every record of a turn's mux body. */
export async function decodeTurn(res: Response): Promise<AvatarMuxEvent[]> {
  const out: AvatarMuxEvent[] = [];
  for await (const rec of readAvatarMux(res)) out.push(rec);
  return out;
}

export type RouteWorld = TestWorld & { routes: Routes; caller: { tenantId: string; key: string } };

/**
 * A test file's world for the public routes, set up before its tests and removed after: a
 * test database (PostgreSQL unless `kind` says otherwise) and storage folder (useTestWorld), the routes, and a caller with
 * `grantMicros` of sandbox credits. Read the fields inside tests (beforeAll fills them in).
 */
export function useRouteWorld(name: string, grantMicros: number, kind: "postgres" | "pglite" = "postgres"): RouteWorld {
  const world = useTestWorld(name, kind) as RouteWorld;
  beforeAll(async () => {
    world.routes = await loadRoutes();
    world.caller = await seedCaller(world.db, grantMicros);
  });
  return world;
}

export type TurnWorld = RouteWorld & { avatarId: string };

/** useRouteWorld plus a portrait avatar (with `settings`) made by the caller, prepared and ready. */
export function useTurnWorld(name: string, grantMicros: number, settings: Record<string, unknown> = {}): TurnWorld {
  const world = useRouteWorld(name, grantMicros) as TurnWorld;
  beforeAll(async () => {
    world.avatarId = await createPortraitAvatar(world.routes, world.caller.key, settings);
    // Creating the avatar started its preparation in the background.
    await vi.waitFor(
      async () => {
        const res = await callRoute(world.routes.getAvatar, { path: `/api/v1/avatars/${world.avatarId}`, key: world.caller.key, params: { avatarId: world.avatarId } });
        expect(((await res.json()) as { status: string }).status).toBe("ready");
      },
      { timeout: 90_000, interval: 250 },
    );
  });
  return world;
}
