import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db/client";
import { ROUTES, type OperationId } from "./route-table";
import { createContractValidator } from "./testing/contract-validator";
import { concretePath, loadOperation } from "./route-modules";
import { apiTestDatabaseKind, callRoute, mintKey, seedTenant, useTestDatabase, type CallOptions } from "./testing/test-api";
import { readyAvatar } from "../services/live-sessions/testing/session-world";

// Calls every operation of the served contract through its real route file and validates every
// answer (success and error) against the contract's response schema for that status.

const validator = createContractValidator();
let db: Db;
let cleanup: () => Promise<void>;
let storageDir: string;
let key: string; // scope "*", test environment, enterprise plan
let liveKey: string; // scope "*", live environment
let limitedKey: string; // avatars:read only
let tinyKey: string; // a plan with a burst of 2
let tenantId: string;
const seen: { operationId: string; status: number }[] = [];

beforeAll(async () => {
  storageDir = mkdtempSync(join(tmpdir(), "tic-contract-"));
  process.env.STORAGE_DIR = storageDir;
  process.env.API_RATE_LIMITS = JSON.stringify({ tiny: { keyPerSecond: 0.01, keyBurst: 2, tenantPerSecond: 100, tenantBurst: 100 } });
  ({ db, cleanup } = await useTestDatabase(apiTestDatabaseKind()));
  const tenant = await seedTenant(db, { plan: "enterprise" });
  tenantId = tenant.id;
  key = (await mintKey(db, tenant.id, { scopes: ["*"] })).apiKey;
  liveKey = (await mintKey(db, tenant.id, { scopes: ["*"], environment: "live" })).apiKey;
  limitedKey = (await mintKey(db, tenant.id, { scopes: ["avatars:read"] })).apiKey;
  const tiny = await seedTenant(db, { plan: "tiny" });
  tinyKey = (await mintKey(db, tiny.id, { scopes: ["*"] })).apiKey;
});
afterAll(async () => {
  await cleanup();
  rmSync(storageDir, { recursive: true, force: true });
});

/** Calls an operation, checks the answer against the contract, returns status and parsed body. */
async function call(operationId: OperationId, o: Partial<CallOptions> & { pathParams?: Record<string, string>; query?: string } = {}) {
  const handler = await loadOperation(operationId);
  if (!handler) throw new Error(`${operationId}: route file missing`);
  const spec = ROUTES[operationId];
  const { path, params } = concretePath(spec.path, o.pathParams);
  const res = await callRoute(handler, { method: spec.method, key: o.key === undefined ? key : o.key, body: o.body, headers: o.headers, path: path + (o.query ?? ""), params });
  const text = await res.text();
  const contentType = res.headers.get("content-type");
  const body = text && contentType?.includes("json") ? JSON.parse(text) : text || null;
  expect(validator.check(operationId, res.status, contentType, body), `${operationId} ${res.status} ${text.slice(0, 300)}`).toEqual([]);
  expect(res.headers.get("x-request-id")).toMatch(/\S/);
  if (res.status >= 400) {
    // Beyond the contract's minimum ({error}), our error bodies always carry the full shape.
    expect(body).toMatchObject({ error: expect.any(String), status: res.status, code: expect.any(String), retryable: expect.any(Boolean) });
  }
  seen.push({ operationId, status: res.status });
  return { status: res.status, body, headers: res.headers };
}

async function pngForm(): Promise<FormData> {
  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 150, b: 120 } } }).png().toBuffer();
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(png)], { type: "image/png" }), "portrait.png");
  form.set("kind", "image");
  return form;
}

describe("every operation answers per the contract", () => {
  it("401 for every operation without a key, 403 with a key lacking the scope", async () => {
    for (const id of Object.keys(ROUTES) as OperationId[]) {
      expect((await call(id, { key: null, body: {} })).status).toBe(401);
      if (ROUTES[id].scope !== "avatars:read") expect((await call(id, { key: limitedKey, body: {} })).status).toBe(403);
    }
  });

  it("assets and avatars: upload, list, create, get, patch, delete", async () => {
    const asset = await call("uploadAsset", { body: await pngForm() });
    expect(asset.status).toBe(201);
    expect((await call("uploadAsset", { body: new FormData() })).status).toBe(422);
    // An SDK retry of the same upload (new multipart boundary) replays the stored answer.
    const sized = async () => {
      // As an HTTP client sends it: serialized, with Content-Length (the upload route requires it with a key).
      const req = new Request("http://x/", { method: "POST", body: await pngForm() });
      const body = new Uint8Array(await req.arrayBuffer());
      const headers = { "idempotency-key": "upload-1", "content-type": req.headers.get("content-type")!, "content-length": String(body.byteLength) };
      return { body, headers };
    };
    const once = await call("uploadAsset", await sized());
    const retry = await call("uploadAsset", await sized());
    expect(retry.headers.get("idempotent-replayed"), `${once.status} ${retry.status} ${JSON.stringify(retry.body).slice(0, 300)}`).toBe("true");
    expect(retry.body.id).toBe(once.body.id);
    expect((await call("listAssets")).status).toBe(200);
    expect((await call("createRemoteAsset", { body: { kind: "image", remoteUrl: "http://127.0.0.1:9/x.png" } })).status).toBe(422);
    expect((await call("createRemoteAsset", { body: { kind: "image", remoteUrl: "https://example.com/a.png", extra: 1 } })).status).toBe(422);

    const created = await call("createAvatar", { body: { displayName: "Ada", sourceKind: "image", sourceAssetId: asset.body.id } });
    expect(created.status).toBe(201);
    const avatarId = created.body.id as string;
    expect((await call("createAvatar", { body: { displayName: "Ada", sourceKind: "image", nope: true } })).status).toBe(422);
    expect((await call("listAvatars")).status).toBe(200);
    expect((await call("getAvatar", { pathParams: { avatarId } })).status).toBe(200);
    expect((await call("getAvatar")).status).toBe(404);
    expect((await call("updateAvatar", { pathParams: { avatarId }, body: { displayName: "Ada L." } })).status).toBe(200);
    expect((await call("updateAvatar", { pathParams: { avatarId }, body: {} })).status).toBe(422);
    expect((await call("updateAvatar", { body: { displayName: "x" } })).status).toBe(404);
    expect((await call("deleteAvatar", { pathParams: { avatarId } })).status).toBe(204);
    expect((await call("getAvatar", { pathParams: { avatarId } })).status).toBe(404);
    expect((await call("deleteAvatar")).status).toBe(404);
  });

  it("engine operations: validation, unknown avatars and refused URLs answer per the contract", async () => {
    // Rendering itself is covered by the engine's own suites; these paths answer before any work.
    // An operation whose engine has not landed answers the documented 502 engine_unavailable.
    for (const [id, body] of [
      ["prepareRealtime", { avatar_id: "ava_doesnotexist0000000" }],
      ["realtimeTurn", { avatar_id: "ava_doesnotexist0000000", mode: "speak_text", text: "Hello" }],
      ["planVideoCache", { avatar_id: "ava_doesnotexist0000000" }],
    ] as const) {
      const res = await call(id, { body });
      expect([404, 502], JSON.stringify(res.body)).toContain(res.status);
      if (res.status === 502) expect(res.body).toMatchObject({ code: "engine_unavailable", retryable: false });
      expect((await call(id, { body: { avatar_id: 42 } })).status).toBe(422);
    }
    const lipsync = await call("lipsync", { body: { audioUrl: "http://127.0.0.1:9/a.wav", avatarId: "ava_doesnotexist0000000" } });
    expect([404, 422, 502]).toContain(lipsync.status);
    expect((await call("lipsync", { body: { audioUrl: "not a url" } })).status).toBe(422);
    expect((await call("realtimeTurn", { body: "{not json" })).status).toBe(422);
  });

  it("realtime turn: any Idempotency-Key reuse is 409", async () => {
    const headers = { "idempotency-key": "turn-1" };
    const turn = { avatar_id: "ava_doesnotexist0000000", mode: "speak_text", text: "Hello" };
    const first = await call("realtimeTurn", { body: turn, headers });
    expect([404, 502]).toContain(first.status);
    // A 4xx answer spends the key (a 5xx releases it so the retry runs); reuse, same body or not, is 409.
    if (first.status === 502) expect((await call("realtimeTurn", { body: { avatar_id: 1 }, headers })).status).toBe(422);
    expect((await call("realtimeTurn", { body: { avatar_id: 1 }, headers })).status).toBe(409);
    expect((await call("realtimeTurn", { body: turn, headers })).status).toBe(409);
  });

  it("credits, usage and api keys", async () => {
    const balance = await call("getCreditBalance");
    expect(balance.status).toBe(200);
    expect(balance.body.availableCreditMicros).toBe(30 * 60 * 1_000_000);
    expect((await call("listUsage")).status).toBe(200);
    expect((await call("listUsage", { query: "?days=0" })).status).toBe(422);

    const created = await call("createApiKey", { key: liveKey, body: { name: "ci", environment: "live", scopes: ["credits:read"], spendLimitCreditMicros: 5_000_000 } });
    expect(created.status).toBe(201);
    expect(created.body.apiKey).toMatch(/^tic_live_/);
    expect((await call("createApiKey", { body: { name: "x", scopes: ["root"] } })).status).toBe(422);
    expect((await call("createApiKey", { body: { name: "x", admin: true } })).status).toBe(422);
    // A key cannot mint a key with a scope it lacks.
    const narrow = (await call("createApiKey", { body: { name: "narrow", scopes: ["api_keys:write"] } })).body.apiKey as string;
    const escalate = await call("createApiKey", { key: narrow, body: { name: "x", scopes: ["*"] } });
    expect(escalate.status).toBe(403);
    expect(escalate.body.error).toContain("*");

    // A test key cannot mint a live key (the calling key here is a test key).
    expect((await call("createApiKey", { key: narrow, body: { name: "x", environment: "live", scopes: ["api_keys:write"] } })).status).toBe(403);

    const listed = await call("listApiKeys");
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.apiKey);
    // `created` is a live key: the (test) default key cannot reach it; the live key revokes it.
    expect((await call("revokeApiKey", { pathParams: { keyId: created.body.id } })).status).toBe(404);
    expect((await call("revokeApiKey", { key: liveKey, pathParams: { keyId: created.body.id } })).status).toBe(200);
    expect((await call("getCreditBalance", { key: created.body.apiKey })).status).toBe(401);
    expect((await call("revokeApiKey")).status).toBe(404);
  });

  it("a key creation is not replayed by Idempotency-Key (its secret is shown once); a different body is 422", async () => {
    const headers = { "idempotency-key": "create-key-1" };
    const first = await call("createApiKey", { body: { name: "idem" }, headers });
    const again = await call("createApiKey", { body: { name: "idem" }, headers });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: "idempotency_key_reused", error: expect.stringContaining(first.body.id) });
    expect(JSON.stringify(again.body)).not.toContain(first.body.apiKey);
    expect((await call("createApiKey", { body: { name: "other" }, headers })).status).toBe(422);
  });

  it("live sessions: create, list, get (with transcript), end; validation and unknown ids", async () => {
    const avatarId = await readyAvatar(db, tenantId);
    const created = await call("createRealtimeSession", { body: { outputModality: "audio", avatar_id: avatarId, voice: "coral", metadata: { a: 1 } } });
    expect(created.status).toBe(201);
    const sessionId = created.body.session_id as string;
    expect((await call("createRealtimeSession", { body: { avatar_id: avatarId } })).status).toBe(422);
    expect((await call("createRealtimeSession", { body: { outputModality: "audio", avatar_id: avatarId, transport: { type: "webrtc", sdp: "v=0" } } })).status).toBe(422);
    expect((await call("createRealtimeSession", { body: { outputModality: "audio", avatar_id: "ava_doesnotexist0000000" } })).status).toBe(404);
    const listed = await call("listRealtimeSessions", { query: "?limit=1" });
    expect(listed.status).toBe(200);
    expect((await call("listRealtimeSessions", { query: "?limit=0" })).status).toBe(422);
    expect((await call("getRealtimeSession", { pathParams: { sessionId } })).status).toBe(200);
    expect((await call("getRealtimeSession")).status).toBe(404);
    expect((await call("endRealtimeSession", { pathParams: { sessionId } })).status).toBe(200);
    expect((await call("endRealtimeSession", { pathParams: { sessionId } })).body.end_reason).toBe("ended_by_api");
    expect((await call("endRealtimeSession")).status).toBe(404);
  });

  it("videos: create (rendered and delayed), list, get, delete; validation, unknown presets and ids", async () => {
    const made = await call("createVideo", { body: { text: "Hi.", avatar: "astronaut" } });
    expect(made.status).toBe(201);
    const delayed = await call("createVideo", { body: { text: "Later.", avatar: "astronaut", delayed: true } });
    expect(delayed.status).toBe(202);
    expect((await call("createVideo", { body: { text: "Hi.", avatar: "nobody_here" } })).status).toBe(422);
    expect((await call("createVideo", { body: { text: "Hi.", avatar_id: "ava_doesnotexist0000000" } })).status).toBe(404);
    expect((await call("createVideo", { body: { avatar: "astronaut" } })).status).toBe(422);
    expect((await call("listVideos", { query: "?limit=1" })).body.next_cursor).toEqual(expect.any(String));
    expect((await call("listVideos", { query: "?limit=0" })).status).toBe(422);
    expect((await call("getVideo", { pathParams: { videoId: made.body.id } })).status).toBe(200);
    expect((await call("getVideo")).status).toBe(404);
    expect((await call("deleteVideo", { pathParams: { videoId: delayed.body.id } })).status).toBe(204);
    expect((await call("deleteVideo", { pathParams: { videoId: delayed.body.id } })).status).toBe(404);
  });

  it("429 with Retry-After once the plan's burst is spent", async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call("getCreditBalance", { key: tinyKey })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it("covered every operation", () => {
    const ops = new Set(seen.map((s) => s.operationId));
    expect([...ops].sort()).toEqual(Object.keys(ROUTES).sort());
  });
});
