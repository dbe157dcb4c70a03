// Text and JSON the database cannot store (NUL, unpaired surrogates, absurd nesting) are refused at the
// REST edge as 422 naming the field, before any query runs; nothing logs the value.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db/client";
import { captureLogs } from "../testing/capture-logs";
import type { NextRouteHandler } from "./api-route";
import { loadOperation } from "./route-modules";
import type { OperationId } from "./route-table";
import { apiTestDatabaseKind, callRoute, mintKey, seedTenant, useTestDatabase } from "./testing/test-api";

const MARK = "customer-value-7f3a";
const nul = `Ana\u0000${MARK}`;
const lone = `\uD800${MARK}`;
// Sent as text: serialising such an object would overflow this test's own stack.
const nested = (depth: number) => `${'{"a":'.repeat(depth)}"${MARK}"${"}".repeat(depth)}`;
const withNested = (fields: Record<string, unknown>, key: string) => `${JSON.stringify(fields).slice(0, -1)},"${key}":${nested(5000)}}`;

let db: Db;
let cleanup: () => Promise<void>;
let apiKey: string;
let avatarId: string;
const handlers = new Map<OperationId, NextRouteHandler>();
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  ({ db, cleanup } = await useTestDatabase(apiTestDatabaseKind()));
  const tenant = await seedTenant(db, { plan: "enterprise" });
  ({ apiKey } = await mintKey(db, tenant.id));
  for (const id of ["createAvatar", "updateAvatar", "createApiKey", "createRemoteAsset", "prepareRealtime", "realtimeTurn", "planVideoCache"] as const) {
    handlers.set(id, (await loadOperation(id))!);
  }
  const created = await call("createAvatar", "POST", "/api/v1/avatars", { displayName: "Ana", sourceKind: "image" });
  avatarId = ((await created.json()) as { id: string }).id;
  logs = captureLogs();
});
afterAll(async () => {
  logs?.stop();
  await cleanup();
});

function call(op: OperationId, method: string, path: string, body: unknown, params: Record<string, string> = {}) {
  return callRoute(handlers.get(op)!, { method, path, key: apiKey, body, params });
}

const cases: [string, OperationId, string, () => unknown, string][] = [
  ["a NUL in an avatar's displayName", "createAvatar", "POST", () => ({ displayName: nul, sourceKind: "image" }), "displayName"],
  ["a NUL in a settings value", "createAvatar", "POST", () => ({ displayName: "Ana", sourceKind: "image", settings: { greeting: nul } }), "settings.greeting"],
  ["a lone surrogate in a settings value", "createAvatar", "POST", () => ({ displayName: "Ana", sourceKind: "image", settings: { voice: { name: lone } } }), "settings.voice.name"],
  ["a NUL in a settings key", "createAvatar", "POST", () => ({ displayName: "Ana", sourceKind: "image", settings: { [nul]: 1 } }), "settings"],
  ["settings nested thousands deep", "createAvatar", "POST", () => withNested({ displayName: "Ana", sourceKind: "image" }, "settings"), "settings"],
  ["metadata nested thousands deep", "createAvatar", "POST", () => withNested({ displayName: "Ana", sourceKind: "image" }, "metadata"), "metadata"],
  ["a NUL in a renamed displayName", "updateAvatar", "PATCH", () => ({ displayName: nul }), "displayName"],
  ["a lone surrogate in updated settings", "updateAvatar", "PATCH", () => ({ settings: { knowledge: [{ question: lone, answer: "x" }] } }), "settings.knowledge[0].question"],
  ["updated settings nested thousands deep", "updateAvatar", "PATCH", () => withNested({ displayName: "Ana" }, "settings"), "settings"],
  ["a NUL in an API key's name", "createApiKey", "POST", () => ({ name: nul }), "name"],
  ["a NUL in a remote asset URL", "createRemoteAsset", "POST", () => ({ kind: "image", remoteUrl: `https://example.com/${nul}.png` }), "remoteUrl"],
  ["a lone surrogate in a remote asset's file name", "createRemoteAsset", "POST", () => ({ kind: "image", remoteUrl: "https://example.com/a.png", originalFilename: lone }), "originalFilename"],
  ["a NUL in remote asset metadata", "createRemoteAsset", "POST", () => ({ kind: "image", remoteUrl: "https://example.com/a.png", metadata: { note: nul } }), "metadata.note"],
  ["a NUL in an avatar id", "prepareRealtime", "POST", () => ({ avatar_id: `ava_${nul}` }), "avatar_id"],
  ["a NUL in a turn's text", "realtimeTurn", "POST", () => ({ avatar_id: "ava_x", mode: "speak_text", text: nul }), "text"],
  ["a lone surrogate in a turn's message", "realtimeTurn", "POST", () => ({ avatar_id: "ava_x", messages: [{ role: "user", content: lone }] }), "messages[0].content"],
  ["a video cache nested thousands deep", "planVideoCache", "POST", () => withNested({ avatar_id: "ava_x" }, "video_cache"), "video_cache"],
];

describe("unstorable input at the REST edge", () => {
  it.each(cases)("refuses %s with 422 naming the field", async (_, op, method, body, field) => {
    const params: Record<string, string> = op === "updateAvatar" ? { avatarId } : {};
    const path = op === "updateAvatar" ? `/api/v1/avatars/${avatarId}` : "/api/v1/x";
    const res = await call(op, method, path, body(), params);
    const json = (await res.json()) as { error: string; code: string };
    expect({ status: res.status, code: json.code }, json.error).toEqual({ status: 422, code: "invalid_input" });
    expect(json.error.startsWith(`${field}:`), json.error).toBe(true);
  });

  it("logged no error and no customer value while refusing them", () => {
    expect(logs.lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(logs.raw()).not.toContain(MARK);
  });
});
