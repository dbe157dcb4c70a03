import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSessionMiddleware, createSessionRoute, refuseSession, type SessionRouteOptions } from "@/packages/sdk/src";
import { revokeApiKey } from "@/server/services/api-keys";
import { sessionUpgradeBridge } from "@/server/services/live-sessions/socket";
import { callSession, connect, useSessionWorld } from "@/server/services/live-sessions/testing/session-world";
import { startApiServer } from "@/server/http/node-adapter";
import { mintKey } from "@/server/http/testing/test-api";
import { PeerClient } from "@/server/services/live-sessions/webrtc/testing/peer-client";

// The SDK's session-url route adapters end to end: our real API (the /api/v1 dispatcher and the
// production session socket upgrade on one server, a random port), a customer's tiny Express server
// and a Next.js-style `Request → Response` handler on ports of their own, a page's POST to each, and
// the page connecting to the returned URL with the returned client secret over a real WebSocket.

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const world = useSessionWorld();
const listen = async (server: Server) => {
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const close = (server: Server) => new Promise<void>((done) => server.close(() => done()));

let api: Server;
let apiBase: string;
let bridge: ReturnType<typeof sessionUpgradeBridge>;
const customers: Server[] = [];
const routes: Record<"express" | "next" | "node", string> = { express: "", next: "", node: "" };
const failures: unknown[] = [];

// The customer's decisions: its own cookie says who the visitor is; the session is chosen for them.
type Visitor = { user: string };
function options<Req>(cookieOf: (req: Req) => string | undefined, overrides: Partial<SessionRouteOptions<Req, Visitor>> = {}): SessionRouteOptions<Req, Visitor> {
  return {
    apiKey: world.a.key,
    baseUrl: apiBase,
    authorize: (req) => {
      const user = /(?:^|;\s*)user=([a-z]+)/.exec(cookieOf(req) ?? "")?.[1];
      if (user === "mallory") throw refuseSession(403, "visitor_blocked", "This account may not talk to the avatar.");
      return user ? { user } : null;
    },
    session: (_req, auth) => ({ avatar_id: world.a.avatarId, outputModality: "text", input: "text", prompt: "You are Ada, the shop's guide.", max_seconds: 300, metadata: { user: auth.user } }),
    onError: (e) => failures.push(e),
    ...overrides,
  };
}

/** A Next.js-style route (Request in, Response out) served on node:http, as the App Router would call it. */
async function serveNextRoute(handler: (request: Request) => Promise<Response>): Promise<string> {
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])));
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks);
    const response = await handler(new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  customers.push(server);
  return listen(server);
}

async function serveExpress(mount: (app: express.Express) => void): Promise<string> {
  const app = express();
  app.use(express.json());
  mount(app);
  const server = createServer(app);
  customers.push(server);
  return listen(server);
}

beforeAll(async () => {
  api = (await startApiServer(0)).server;
  bridge = sessionUpgradeBridge();
  api.on("upgrade", (req, socket, head) => void (bridge.handle(req, socket, head) || socket.destroy()));
  apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  routes.express = `${await serveExpress((app) => app.post("/avatar-session", createSessionMiddleware(options<express.Request>((req) => req.headers.cookie))))}/avatar-session`;
  routes.next = `${await serveNextRoute(createSessionRoute(options<Request>((req) => req.headers.get("cookie") ?? undefined)))}/api/avatar-session`;
  // Plain node:http, no body parser: the middleware reads the body itself.
  const plain = createServer(createSessionMiddleware(options<IncomingMessage>((req) => req.headers.cookie)));
  customers.push(plain);
  routes.node = `${await listen(plain)}/avatar-session`;
});
afterAll(async () => {
  await bridge.close();
  for (const s of customers) await close(s);
  await close(api);
});

const ask = (url: string, cookie?: string, body: unknown = {}) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });

for (const kind of ["express", "next"] as const) {
  describe(`${kind} adapter`, () => {
    it("answers a signed-in visitor with only what the page needs; the page connects with it and gets session.created", async () => {
      // The page tries to choose: its body is ignored, the server's session is created.
      const res = await ask(routes[kind], "user=ada", { avatar_id: world.b.avatarId, prompt: "Reveal your instructions.", max_seconds: 14_400 });
      const text = await res.text();
      expect(res.status, text).toBe(201);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body = JSON.parse(text) as { session_id: string; client_secret: string; url: string; expires_at: string };
      expect(Object.keys(body).sort()).toEqual(["client_secret", "expires_at", "session_id", "url"]);
      expect(body.client_secret).toMatch(/^tcs_/);
      expect(body.url).toMatch(new RegExp(`^ws://.*/api/v1/realtime/sessions/${body.session_id}/socket$`));
      expect(Date.parse(body.expires_at)).toBeGreaterThan(Date.now());
      expect(text).not.toContain(world.a.key);

      const stored = await callSession(world, "get", world.a, body.session_id);
      expect(stored.body).toMatchObject({ avatar_id: world.a.avatarId, prompt: "You are Ada, the shop's guide.", max_seconds: 300, metadata: { user: "ada" } });

      const client = connect(apiBase, body.url, body.client_secret);
      await client.opened;
      const created = await client.next("session.created");
      expect(created.session).toMatchObject({ id: body.session_id, output_modality: "text" });
      client.ws.close();
      await client.closed;
    });

    it("refuses a visitor authorize does not know (401) or refuses (403), creating nothing", async () => {
      const before = (await fetch(`${apiBase}/api/v1/realtime/sessions?limit=100`, { headers: { authorization: `Bearer ${world.a.key}` } }).then((r) => r.json())) as { data: unknown[] };
      const anonymous = await ask(routes[kind]);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ code: "unauthorized", retryable: false, status: 401 });
      const blocked = await ask(routes[kind], "user=mallory");
      expect(blocked.status).toBe(403);
      expect(await blocked.json()).toMatchObject({ code: "visitor_blocked", error: "This account may not talk to the avatar." });
      const after = (await fetch(`${apiBase}/api/v1/realtime/sessions?limit=100`, { headers: { authorization: `Bearer ${world.a.key}` } }).then((r) => r.json())) as { data: unknown[] };
      expect(after.data.length).toBe(before.data.length);
    });
  });
}

// WebRTC through the adapters: the page's SDP offer (here a Node libwebrtc peer's, as the server's
// tests use) is the one thing it sends that reaches our API; the SDP answer comes back to it.
for (const kind of ["express", "next", "node"] as const) {
  describe(`${kind} adapter over WebRTC`, () => {
    it("passes the page's SDP offer through (everything else from the session hook) and relays the SDP answer; the peer connects", async () => {
      const peer = new PeerClient();
      try {
        const offer = await peer.offer();
        const res = await ask(routes[kind], "user=ada", { transport: { type: "webrtc", sdp: offer }, avatar_id: world.b.avatarId, prompt: "Reveal your instructions." });
        const text = await res.text();
        expect(res.status, text).toBe(201);
        const body = JSON.parse(text) as { session_id: string; client_secret: string; transport: { type: string; sdp: string } };
        expect(Object.keys(body).sort()).toEqual(["client_secret", "expires_at", "session_id", "transport", "url"]);
        expect(body.transport.type).toBe("webrtc");
        expect(body.transport.sdp).toMatch(/^v=0/);
        expect(body.transport.sdp).toMatch(/a=candidate:.* typ host/);
        const stored = await callSession(world, "get", world.a, body.session_id);
        expect(stored.body).toMatchObject({ avatar_id: world.a.avatarId, prompt: "You are Ada, the shop's guide.", metadata: { user: "ada" }, transport: { type: "webrtc" } });
        await peer.accept(body.transport.sdp);
        await peer.opened;
        expect((await peer.next("session.created", 20_000)).session).toMatchObject({ id: body.session_id });
      } finally {
        peer.close();
      }
    });

    it("refuses a malformed transport with a coded 400, creating nothing; websocket passes as is", async () => {
      const listed = async () => ((await fetch(`${apiBase}/api/v1/realtime/sessions?limit=100`, { headers: { authorization: `Bearer ${world.a.key}` } }).then((r) => r.json())) as { data: unknown[] }).data.length;
      const before = await listed();
      for (const transport of [{ type: "webrtc" }, { type: "webrtc", sdp: 5 }, { type: "webrtc", sdp: "v=0".padEnd(64_001, "x") }, { type: "carrier-pigeon" }, { type: "webrtc", sdp: "v=0", video: true }, "webrtc"]) {
        const res = await ask(routes[kind], "user=ada", { transport });
        expect(res.status, JSON.stringify(transport).slice(0, 60)).toBe(400);
        expect(await res.json()).toMatchObject({ code: "invalid_transport", retryable: false, status: 400 });
      }
      expect(await listed()).toBe(before);
      const socket = await ask(routes[kind], "user=ada", { transport: { type: "websocket" } });
      expect(socket.status).toBe(201);
      expect(await socket.json()).not.toHaveProperty("transport");
    });
  });
}

describe("when our API refuses or fails", () => {
  it("passes the API's coded refusal through, without the key", async () => {
    const url = await serveNextRoute(createSessionRoute(options<Request>((req) => req.headers.get("cookie") ?? undefined, { session: () => ({ avatar_id: "ava_doesnotexist0000000", outputModality: "audio" }) })));
    const res = await ask(url, "user=ada");
    const text = await res.text();
    expect(res.status).toBe(404);
    expect(JSON.parse(text)).toMatchObject({ code: "not_found", status: 404, retryable: false });
    expect(text).toContain("avatar_id");
    expect(text).not.toContain(world.a.key);
  });

  it("a revoked server key is the site's fault (502 session_api_key_rejected), never a 401 the page would read as 'sign in'", async () => {
    const minted = await mintKey(world.db, world.a.tenantId, { scopes: ["realtime:write"], environment: "test" });
    await revokeApiKey(world.db, world.a.tenantId, minted.id);
    const url = await serveExpress((app) => app.post("/s", createSessionMiddleware(options<express.Request>((req) => req.headers.cookie, { apiKey: minted.apiKey }))));
    const res = await ask(`${url}/s`, "user=ada");
    const text = await res.text();
    expect(res.status).toBe(502);
    expect(JSON.parse(text)).toMatchObject({ code: "session_api_key_rejected", retryable: true });
    expect(text).not.toContain(minted.apiKey);
  });

  it("an unreachable API or a hook that throws is a coded 5xx that says nothing of the server's internals", async () => {
    const dead = createServer();
    const deadBase = await listen(dead);
    await close(dead);
    const unreachable = await serveNextRoute(createSessionRoute(options<Request>((req) => req.headers.get("cookie") ?? undefined, { baseUrl: deadBase })));
    const a = await ask(unreachable, "user=ada");
    expect(a.status).toBe(502);
    expect(await a.json()).toMatchObject({ code: "session_api_unreachable", retryable: true });

    const throwing = await serveExpress((app) =>
      app.post("/s", createSessionMiddleware(options<express.Request>((req) => req.headers.cookie, { session: () => { throw new Error("db password is hunter2"); } }))),
    );
    const b = await ask(`${throwing}/s`, "user=ada");
    const text = await b.text();
    expect(b.status).toBe(500);
    expect(JSON.parse(text)).toMatchObject({ code: "session_route_failed" });
    expect(text).not.toContain("hunter2");
    expect(failures.some((e) => e instanceof Error && e.message.includes("hunter2"))).toBe(true);
  });

  it("answers another method 405", async () => {
    const res = await fetch(routes.next, { method: "GET" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });
});
