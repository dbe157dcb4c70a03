import { describe, expect, it } from "vitest";
import { TicAvatarClient } from "@/packages/sdk/src";
import type { NextRouteHandler } from "@/server/http/api-route";
import { useSessionWorld } from "./testing/session-world";

// The SDK's server-side sessions.create/list/get/end against the real route handlers: its fetch
// hands each request to the route Next.js would pick, so paths, methods and bodies must match.

const world = useSessionWorld();

function routedFetch(): typeof fetch {
  const routes: [RegExp, string, (m: RegExpExecArray) => { handler: NextRouteHandler; params: Record<string, string> }][] = [
    [/^\/api\/v1\/realtime\/sessions$/, "POST", () => ({ handler: world.routes.create, params: {} })],
    [/^\/api\/v1\/realtime\/sessions$/, "GET", () => ({ handler: world.routes.list, params: {} })],
    [/^\/api\/v1\/realtime\/sessions\/([^/]+)$/, "GET", (m) => ({ handler: world.routes.get, params: { sessionId: decodeURIComponent(m[1]!) } })],
    [/^\/api\/v1\/realtime\/sessions\/([^/]+)\/end$/, "POST", (m) => ({ handler: world.routes.end, params: { sessionId: decodeURIComponent(m[1]!) } })],
  ];
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(input, init);
    const path = new URL(req.url).pathname;
    for (const [pattern, method, pick] of routes) {
      const m = pattern.exec(path);
      if (m && req.method === method) {
        const { handler, params } = pick(m);
        return handler(req, { params: Promise.resolve(params) });
      }
    }
    return new Response("no route", { status: 404 });
  }) as typeof fetch;
}

describe("SDK sessions", () => {
  it("create → get → list → end, with the API's errors as TicApiError", async () => {
    const client = new TicAvatarClient({ apiKey: world.a.key, baseUrl: "http://localhost", fetch: routedFetch() });
    const created = await client.sessions.create({ outputModality: "text", avatar_id: world.a.avatarId, input: "text" }, { idempotencyKey: "sdk-1" });
    expect(created.session_id).toMatch(/^ses_/);
    expect(created.client_secret.value).toMatch(/^tcs_/);
    expect(created.url).toBe(`ws://localhost/api/v1/realtime/sessions/${created.session_id}/socket`);
    const got = await client.sessions.get(created.session_id);
    expect(got).toMatchObject({ session_id: created.session_id, status: "created", transcript: [] });
    const page = await client.sessions.list({ limit: 1 });
    expect(page.data.map((s) => s.session_id)).toEqual([created.session_id]);
    expect((await client.sessions.end(created.session_id)).end_reason).toBe("ended_by_api");
    expect((await client.sessions.end(created.session_id)).status).toBe("ended");
    await expect(client.sessions.create({ outputModality: "text", avatar_id: world.a.avatarId, input: "text" }, { idempotencyKey: "sdk-1" })).rejects.toMatchObject({ name: "TicApiError", status: 409 });
    await expect(client.sessions.get("ses_doesnotexist0000000")).rejects.toMatchObject({ status: 404, code: "not_found" });
    await expect(client.sessions.create({ outputModality: "audio", avatar_id: world.a.avatarId, transport: { type: "webrtc", sdp: "v=0" } })).rejects.toMatchObject({ status: 422, code: "invalid_sdp" });
  });
});
