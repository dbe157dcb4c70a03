// A client that goes away mid-request is not a server fault: it is logged at info as "client disconnected",
// never as an error, while a real fault in a handler still is.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db/client";
import { captureLogs } from "../testing/capture-logs";
import { apiRoute } from "./api-route";
import type { NextRouteHandler } from "./api-route";
import { loadOperation } from "./route-modules";
import { apiTestDatabaseKind, mintKey, seedTenant, useTestDatabase } from "./testing/test-api";

let db: Db;
let cleanup: () => Promise<void>;
let apiKey: string;
let createAvatar: NextRouteHandler;
beforeAll(async () => {
  ({ db, cleanup } = await useTestDatabase(apiTestDatabaseKind()));
  const tenant = await seedTenant(db, { plan: "enterprise" });
  ({ apiKey } = await mintKey(db, tenant.id));
  createAvatar = (await loadOperation("createAvatar"))!;
});
afterAll(() => cleanup());

// What Node hands a handler when the client drops the connection mid-body: the request's signal aborts
// and reading the body fails with `Error: aborted` (ECONNRESET).
function abandonedRequest(headers: Record<string, string> = {}) {
  const controller = new AbortController();
  let fail: (error: Error) => void = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode('{"displayName":"half an upl'));
      fail = (error) => c.error(error);
    },
  });
  const req = new Request("http://localhost/api/v1/avatars", {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", "x-request-id": "req-gone-1", ...headers },
    body,
    signal: controller.signal,
    duplex: "half",
  } as RequestInit);
  const leave = () => {
    controller.abort();
    fail(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
  };
  return { req, leave };
}

describe("client disconnects", () => {
  it.each([
    ["a plain request", {}],
    ["a request with an Idempotency-Key", { "idempotency-key": "gone-1" }],
  ])("logs %s abandoned mid-body as 'client disconnected' at info, with no error line", async (_, headers) => {
    const logs = captureLogs();
    try {
      const { req, leave } = abandonedRequest(headers);
      const answer = createAvatar(req, { params: Promise.resolve({}) });
      setTimeout(leave, 20);
      await answer;
    } finally {
      logs.stop();
    }
    expect(logs.lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(logs.lines).toContainEqual(expect.objectContaining({ level: 30, msg: "client disconnected", requestId: "req-gone-1" }));
    expect(logs.lines).toContainEqual(expect.objectContaining({ msg: "api request", status: 499, requestId: "req-gone-1" }));
  });

  it("still logs a real handler fault as an error", async () => {
    const broken = apiRoute("createAvatar", async () => {
      throw new Error("a bug");
    });
    const logs = captureLogs();
    try {
      const res = await broken(new Request("http://localhost/api/v1/avatars", { method: "POST", headers: { authorization: `Bearer ${apiKey}` } }), { params: Promise.resolve({}) });
      expect(res.status).toBe(500);
    } finally {
      logs.stop();
    }
    expect(logs.lines).toContainEqual(expect.objectContaining({ level: 50, msg: "unhandled error in API handler" }));
  });
});
