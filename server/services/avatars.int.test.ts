// Avatars through the real REST handlers on PostgreSQL: tenant scoping, soft delete, validation, contract shapes.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "../db/client";
import { avatars } from "../db/schema";
import { callRoute, mintKey, seedTenant, useTestDatabase } from "../http/testing/test-api";
import type { NextRouteHandler } from "../http/api-route";
import { contractSchemas } from "./assets/testing/contract-schemas";
import { images } from "./assets/testing/media-fixtures";
import { canTransition, setAvatarStatus } from "./avatars";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const storageDir = mkdtempSync(join(tmpdir(), "tic-storage-"));
const check = contractSchemas();
let db: Db;
let cleanup: () => Promise<void>;
let routes: { list: NextRouteHandler; create: NextRouteHandler; get: NextRouteHandler; patch: NextRouteHandler; del: NextRouteHandler; upload: NextRouteHandler };
let a: { tenantId: string; key: string; imageAssetId: string };
let b: { tenantId: string; key: string; imageAssetId: string };

async function uploadPng(key: string): Promise<string> {
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array((await images()).png)]), "me.png");
  const res = await routes.upload(new Request("http://localhost/api/v1/assets", { method: "POST", headers: { authorization: `Bearer ${key}` }, body: form }), {
    params: Promise.resolve({}),
  });
  expect(res.status).toBe(201);
  return String(((await res.json()) as { id: string }).id);
}

beforeAll(async () => {
  process.env.STORAGE_DIR = storageDir;
  ({ db, cleanup } = await useTestDatabase("postgres"));
  const collection = await import("@/app/api/v1/avatars/route");
  const item = await import("@/app/api/v1/avatars/[avatarId]/route");
  const assetRoutes = await import("@/app/api/v1/assets/route");
  routes = { list: collection.GET, create: collection.POST, get: item.GET, patch: item.PATCH, del: item.DELETE, upload: assetRoutes.POST };
  const ta = await seedTenant(db, { plan: "enterprise" });
  const tb = await seedTenant(db, { plan: "enterprise" });
  const ka = (await mintKey(db, ta.id)).apiKey;
  const kb = (await mintKey(db, tb.id)).apiKey;
  a = { tenantId: ta.id, key: ka, imageAssetId: await uploadPng(ka) };
  b = { tenantId: tb.id, key: kb, imageAssetId: await uploadPng(kb) };
});
afterAll(async () => {
  await cleanup();
  rmSync(storageDir, { recursive: true, force: true });
});

const create = (key: string, body: unknown) => callRoute(routes.create, { method: "POST", path: "/api/v1/avatars", key, body });
const one = (handler: NextRouteHandler, method: string, key: string, id: string, body?: unknown) =>
  callRoute(handler, { method, path: `/api/v1/avatars/${id}`, key, body, params: { avatarId: id } });

async function expectError(res: Response, status: number, code: string, mentions?: RegExp) {
  const json = (await res.json()) as Record<string, unknown>;
  expect({ status: res.status, code: json.code }, JSON.stringify(json)).toEqual({ status, code });
  expect(check("Error", json)).toEqual([]);
  if (mentions) expect(json.error).toMatch(mentions);
}

describe("avatars API", () => {
  it("creates from the tenant's image asset with defaults, then lists and gets it", async () => {
    const res = await create(a.key, { displayName: "Ada", sourceKind: "image", sourceAssetId: a.imageAssetId });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, unknown>;
    expect(check("Avatar", created)).toEqual([]);
    expect(created).toMatchObject({ displayName: "Ada", sourceKind: "image", status: "draft", modelId: "tic-portrait-v1", tenantId: a.tenantId, cacheVersion: 0 });
    expect(String(created.id)).toMatch(/^ava_[0-9a-z]{20}$/);

    const list = (await (await callRoute(routes.list, { path: "/api/v1/avatars", key: a.key })).json()) as { data: Array<Record<string, unknown>> };
    expect(list.data.map((x) => x.id)).toContain(created.id);
    for (const item of list.data) expect(check("Avatar", item)).toEqual([]);
    const got = await one(routes.get, "GET", a.key, String(created.id));
    expect(got.status).toBe(200);
    // Creating from an asset starts its preparation in the background, so by this GET the avatar may
    // have moved on (status, updatedAt and what preparation writes); what the caller set stays as created.
    const gotJson = (await got.json()) as Record<string, unknown>;
    expect(check("Avatar", gotJson)).toEqual([]);
    const keep = ["id", "tenantId", "displayName", "sourceKind", "sourceAssetId", "modelId", "defaultVoiceId", "settings", "metadata", "createdAt"];
    expect(Object.fromEntries(keep.map((k) => [k, gotJson[k]]))).toEqual(Object.fromEntries(keep.map((k) => [k, created[k]])));
    expect(["draft", "preprocessing", "ready", "failed"]).toContain(gotJson.status);
  });

  it("refuses another tenant's asset exactly like a missing one (422 naming sourceAssetId)", async () => {
    const foreign = await create(a.key, { displayName: "X", sourceKind: "image", sourceAssetId: b.imageAssetId });
    const missing = await create(a.key, { displayName: "X", sourceKind: "image", sourceAssetId: "ast_doesnotexist" });
    const fj = await foreign.clone().json();
    await expectError(foreign, 422, "invalid_input", /sourceAssetId/);
    expect(fj.error).toBe((await missing.json()).error);
  });

  it("lists only the calling tenant's assets", async () => {
    const { GET } = await import("@/app/api/v1/assets/route");
    const listed = (await (await callRoute(GET, { path: "/api/v1/assets", key: a.key })).json()) as { data: Array<{ id: string; tenantId: string }> };
    expect(listed.data.map((x) => x.id)).toContain(a.imageAssetId);
    expect(listed.data.map((x) => x.id)).not.toContain(b.imageAssetId);
    expect(listed.data.every((x) => x.tenantId === a.tenantId)).toBe(true);
    for (const item of listed.data) expect(check("Asset", item)).toEqual([]);
    const images = await callRoute(GET, { path: "/api/v1/assets?kind=audio&unknown=1", key: a.key });
    expect(images.status).toBe(200);
    expect(((await images.json()) as { data: unknown[] }).data).toEqual([]);
  });

  it("requires sourceKind to match the asset's kind, and rejects unknown fields", async () => {
    await expectError(await create(a.key, { displayName: "V", sourceKind: "video", sourceAssetId: a.imageAssetId }), 422, "invalid_input", /is an image but sourceKind is 'video'/);
    await expectError(await create(a.key, { displayName: "V", sourceKind: "image", colour: "red" }), 422, "invalid_input", /colour/);
    await expectError(await create(a.key, { displayName: "", sourceKind: "image" }), 422, "invalid_input", /displayName/);
    await expectError(await create(a.key, { displayName: "V", sourceKind: "audio" }), 422, "invalid_input", /sourceKind/);
  });

  it("patches at least one field, answers 404 across tenants, soft-deletes", async () => {
    const created = (await (await create(a.key, { displayName: "Bo", sourceKind: "image" })).json()) as { id: string };
    await expectError(await one(routes.patch, "PATCH", a.key, created.id, {}), 422, "invalid_input", /at least one/);
    await expectError(await one(routes.patch, "PATCH", a.key, created.id, { status: "ready" }), 422, "invalid_input", /status/);
    const patched = await one(routes.patch, "PATCH", a.key, created.id, { displayName: "Bo 2", defaultVoiceId: "voice-en-001", metadata: { team: "x" } });
    expect(patched.status).toBe(200);
    const body = (await patched.json()) as Record<string, unknown>;
    expect(check("Avatar", body)).toEqual([]);
    expect(body).toMatchObject({ displayName: "Bo 2", defaultVoiceId: "voice-en-001", metadata: { team: "x" } });

    // Tenant B sees nothing of tenant A's avatar: 404 on every verb, and the row is untouched.
    await expectError(await one(routes.get, "GET", b.key, created.id), 404, "not_found");
    await expectError(await one(routes.patch, "PATCH", b.key, created.id, { displayName: "hijack" }), 404, "not_found");
    await expectError(await one(routes.del, "DELETE", b.key, created.id), 404, "not_found");
    await expectError(await one(routes.get, "GET", a.key, "not-an-avatar-id"), 404, "not_found");

    const del = await one(routes.del, "DELETE", a.key, created.id);
    expect(del.status).toBe(204);
    expect(await del.text()).toBe("");
    await expectError(await one(routes.get, "GET", a.key, created.id), 404, "not_found");
    await expectError(await one(routes.del, "DELETE", a.key, created.id), 404, "not_found");
    const list = (await (await callRoute(routes.list, { path: "/api/v1/avatars", key: a.key })).json()) as { data: Array<{ id: string }> };
    expect(list.data.map((x) => x.id)).not.toContain(created.id);
    const [row] = await db.select().from(avatars).where(eq(avatars.id, created.id));
    expect(row).toMatchObject({ status: "deleted", displayName: "Bo 2" });
    expect(row!.deletedAt).toBeInstanceOf(Date);
  });

  it("moves along the lifecycle draft → preprocessing → ready | failed, refusing illegal moves", async () => {
    const created = (await (await create(a.key, { displayName: "Cy", sourceKind: "image" })).json()) as { id: string };
    await expect(setAvatarStatus(db, a.tenantId, created.id, "ready")).rejects.toMatchObject({ code: "conflict" });
    await setAvatarStatus(db, a.tenantId, created.id, "preprocessing");
    const failed = await setAvatarStatus(db, a.tenantId, created.id, "failed", "no face found");
    expect(failed).toMatchObject({ status: "failed", failureReason: "no face found" });
    await setAvatarStatus(db, a.tenantId, created.id, "preprocessing");
    expect(await setAvatarStatus(db, a.tenantId, created.id, "ready")).toMatchObject({ status: "ready", failureReason: null });
    await expect(setAvatarStatus(db, b.tenantId, created.id, "disabled")).rejects.toMatchObject({ code: "not_found" });
    expect(canTransition("deleted", "draft")).toBe(false);
    expect(canTransition("disabled", "draft")).toBe(true);
  });
});
