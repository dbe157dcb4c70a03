import type { Server } from "node:http";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateApiKey } from "@/core/api-keys/key-format";
import { realtimeSessions } from "../db/schema";
import { revokeApiKey } from "../services/api-keys";
import { sessionUpgradeBridge } from "../services/live-sessions/socket";
import { connect, readyAvatar, useSessionWorld, workspace } from "../services/live-sessions/testing/session-world";
import { PUBLISHABLE_MAX_SESSION_SECONDS } from "../services/publishable-keys";
import { startApiServer } from "./node-adapter";
import { PUBLISHABLE_ORIGIN_LIMIT } from "./publishable-edge";
import { concretePath, loadOperation } from "./route-modules";
import { ROUTES, type OperationId } from "./route-table";
import { callRoute, mintPublishableKey } from "./testing/test-api";

// Publishable keys (tic_pub_…) on a real database, through both ways a request reaches the route
// handler: called as Next.js calls it, and over real HTTP through the production /api/v1 dispatcher
// (server/http/api-dispatch.ts). The page's request is what the widget sends.

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
  // Read once with the rest of the environment, before the world's database opens.
  process.env.REALTIME_SESSION_LIMITS = JSON.stringify({ capped: 1 });
});

const SITE = "https://shop.example.com";
const PATH = "/api/v1/realtime/sessions";
type Via = "route" | "http";
type Answer = { status: number; body: ReturnType<typeof JSON.parse>; headers: Headers };

for (const kind of ["pglite", "postgres"] as const) {
  describe(`publishable keys (${kind})`, () => {
    const world = useSessionWorld("enterprise", kind);
    let server: Server;
    let bridge: ReturnType<typeof sessionUpgradeBridge>;
    let base: string;
    let pub: { apiKey: string; id: string };
    let otherAvatar: string;
    beforeAll(async () => {
      const started = await startApiServer(0);
      server = started.server;
      bridge = sessionUpgradeBridge();
      server.on("upgrade", (req, socket, head) => void (bridge.handle(req, socket, head) || socket.destroy()));
      base = `http://127.0.0.1:${started.port}`;
      otherAvatar = await readyAvatar(world.db, world.a.tenantId);
      pub = await mintPublishableKey(world.db, world.a.tenantId, { avatarIds: [world.a.avatarId], allowedOrigins: [SITE, "http://localhost:5173", "https://*.acme.io"] });
    });
    afterAll(async () => {
      await bridge.close();
      await new Promise<void>((done) => server.close(() => done()));
    });

    async function create(via: Via, key: string, origin: string | null, body: Record<string, unknown> = {}): Promise<Answer> {
      const headers: Record<string, string> = { "content-type": "application/json", ...(origin ? { origin } : {}) };
      const payload = { avatar_id: world.a.avatarId, input: "voice", outputModality: "audio", render: "client", ...body };
      const res =
        via === "route"
          ? await callRoute(world.routes.create, { method: "POST", path: PATH, key, headers, body: payload })
          : await fetch(`${base}${PATH}`, { method: "POST", headers: { ...headers, authorization: `Bearer ${key}` }, body: JSON.stringify(payload) });
      return { status: res.status, body: (await res.json()) as ReturnType<typeof JSON.parse>, headers: res.headers };
    }

    for (const via of ["route", "http"] as const) {
      it(`${via}: creates a session from an allowed origin, readable by that origin only, within the page's caps`, async () => {
        const res = await create(via, pub.apiKey, SITE, { max_seconds: 4 * 3600 });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body.client_secret.value).toMatch(/^tcs_/);
        expect(res.body).toMatchObject({ avatar_id: world.a.avatarId, input: "voice", outputModality: "audio", render: "client", max_seconds: PUBLISHABLE_MAX_SESSION_SECONDS, prompt: null, tools: [] });
        expect(res.headers.get("access-control-allow-origin")).toBe(SITE);
        expect(res.headers.get("vary")).toContain("Origin");
        const [row] = await world.db.select().from(realtimeSessions).where(eq(realtimeSessions.id, res.body.session_id));
        expect(row!.apiKeyId).toBe(pub.id);
        if (via === "http") {
          // The page connects with the client secret, as with a session made by a secret key.
          const client = connect(base, res.body.url, res.body.client_secret.value);
          await client.opened;
          expect((await client.next("session.created")).session.id).toBe(res.body.session_id);
          client.ws.close();
          await client.closed;
        }
        // A wildcard entry admits a subdomain.
        expect((await create(via, pub.apiKey, "https://app.acme.io")).status).toBe(201);
      });

      it(`${via}: another origin, a look-alike, or no Origin is a coded 403 saying what to change`, async () => {
        for (const origin of ["https://evil.example", "http://shop.example.com", "https://acme.io", "null"]) {
          const res = await create(via, pub.apiKey, origin);
          expect(res.status, origin).toBe(403);
          expect(res.body).toMatchObject({ code: "origin_not_allowed", retryable: false, status: 403 });
          expect(res.body.error).toContain(origin === "null" ? "null" : origin);
          expect(res.body.error).toContain("/platform/api-keys");
          // The refusal is readable by the page (the widget shows it); it holds nothing of the key.
          expect(res.headers.get("access-control-allow-origin")).toBe(origin);
          expect(JSON.stringify(res.body)).not.toContain(pub.apiKey);
        }
        const none = await create(via, pub.apiKey, null);
        expect(none.status).toBe(403);
        expect(none.body).toMatchObject({ code: "origin_not_allowed" });
        expect(none.body.error).toContain("no Origin");
      });

      it(`${via}: an avatar the key does not name, or a server-only field, is a coded 403`, async () => {
        // Its own key: these requests would spend the shared one's per-origin limit.
        const own = await mintPublishableKey(world.db, world.a.tenantId, { avatarIds: [world.a.avatarId], allowedOrigins: [SITE] });
        const other = await create(via, own.apiKey, SITE, { avatar_id: otherAvatar });
        expect(other.status).toBe(403);
        expect(other.body).toMatchObject({ code: "avatar_not_allowed", retryable: false });
        expect(other.body.error).toContain(otherAvatar);
        for (const field of ["prompt", "tools", "threadId", "metadata", "sessionId"]) {
          const res = await create(via, own.apiKey, SITE, { [field]: field === "tools" ? [] : field === "metadata" ? {} : "x" });
          expect(res.status, field).toBe(403);
          expect(res.body).toMatchObject({ code: "field_not_allowed" });
          expect(res.body.error).toContain(field);
        }
        const unknown = await create(via, own.apiKey, SITE, { nope: 1 });
        expect(unknown.status).toBe(422);
      });

      it(`${via}: a malformed, unknown or foreign workspace's key is refused`, async () => {
        for (const bad of ["tic_pub_garbage", generateApiKey("test", "publishable"), generateApiKey("live", "publishable")]) {
          const res = await create(via, bad, SITE);
          expect(res.status, bad).toBe(401);
          expect(res.body).toMatchObject({ code: "unauthorized" });
          expect(res.headers.get("www-authenticate")).toContain("Bearer");
        }
        // Workspace b's key is a real key: it is authenticated, but names none of a's avatars.
        const foreign = await mintPublishableKey(world.db, world.b.tenantId, { avatarIds: [world.b.avatarId], allowedOrigins: [SITE] });
        const res = await create(via, foreign.apiKey, SITE);
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ code: "avatar_not_allowed" });
      });
    }

    it("answers the browser's preflight on both paths, for any origin (the origin is enforced on the real request)", async () => {
      const ask = { origin: "https://anywhere.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" };
      const direct = await (await import("@/app/api/v1/realtime/sessions/route")).OPTIONS(new Request(`http://localhost${PATH}`, { method: "OPTIONS", headers: ask }), { params: Promise.resolve({}) });
      const viaHttp = await fetch(`${base}${PATH}`, { method: "OPTIONS", headers: ask });
      for (const res of [direct, viaHttp]) {
        expect(res.status).toBe(204);
        expect(res.headers.get("access-control-allow-origin")).toBe("https://anywhere.example");
        expect(res.headers.get("access-control-allow-methods")).toContain("POST");
        expect(res.headers.get("access-control-allow-headers")).toMatch(/authorization.*content-type/);
        expect(res.headers.get("access-control-allow-credentials")).toBeNull();
      }
      // Other paths keep Next.js's plain OPTIONS (no CORS): a page cannot call them.
      const other = await fetch(`${base}/api/v1/avatars`, { method: "OPTIONS", headers: ask });
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
    });

    it("a secret key's answer is never readable by a page, even from an origin a publishable key allows", async () => {
      const res = await create("http", world.a.key, SITE);
      expect(res.status).toBe(201);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    });

    it("every other operation answers a publishable key with a coded 403, never running it", async () => {
      for (const [operationId, spec] of Object.entries(ROUTES) as [OperationId, (typeof ROUTES)[OperationId]][]) {
        if ("browser" in spec && spec.browser) continue;
        const handler = await loadOperation(operationId);
        const { path, params } = concretePath(spec.path);
        const res = await callRoute(handler!, { method: spec.method, path, params, key: pub.apiKey, headers: { origin: SITE }, body: {} });
        const body = await res.text();
        expect(res.status, `${operationId}: ${body}`).toBe(403);
        expect(JSON.parse(body), operationId).toMatchObject({ code: "publishable_key_not_allowed", retryable: false, status: 403 });
        expect(body).not.toContain(world.a.tenantId);
      }
      // Over HTTP too (the dispatcher reaches the same edge).
      const list = await fetch(`${base}${PATH}`, { headers: { authorization: `Bearer ${pub.apiKey}`, origin: SITE } });
      expect(list.status).toBe(403);
      expect(((await list.json()) as { code: string }).code).toBe("publishable_key_not_allowed");
    });

    it("answers the render-assets preflight for any origin (the widget's audio mode; the reads: session-avatar.int.test.ts)", async () => {
      const ask = { origin: "https://anywhere.example", "access-control-request-method": "GET", "access-control-request-headers": "authorization" };
      const pre = await fetch(`${base}/api/v1/avatars/${world.a.avatarId}/render-assets`, { method: "OPTIONS", headers: ask });
      expect(pre.status).toBe(204);
      expect(pre.headers.get("access-control-allow-origin")).toBe("https://anywhere.example");
      expect(pre.headers.get("access-control-allow-methods")).toContain("GET");
      expect(pre.headers.get("access-control-allow-headers")).toContain("authorization");
    });

    it("limits session creates per key and origin: 429 with Retry-After, other origins unaffected", async () => {
      const key = await mintPublishableKey(world.db, world.a.tenantId, { avatarIds: [world.a.avatarId], allowedOrigins: ["http://localhost:5173", "http://localhost:5174"] });
      // Invalid bodies (422) still count: the limit is charged before the body is read.
      for (let i = 0; i < PUBLISHABLE_ORIGIN_LIMIT.burst; i++) expect((await create("http", key.apiKey, "http://localhost:5173", { input: "neither" })).status).toBe(422);
      const refused = await create("http", key.apiKey, "http://localhost:5173");
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ code: "rate_limited", retryable: true });
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
      expect((await create("http", key.apiKey, "http://localhost:5174")).status).toBe(201);
    });

    it("the workspace's concurrent-session cap holds for a page's key as for any key", async () => {
      const small = await workspace(world.db, "capped");
      const key = await mintPublishableKey(world.db, small.tenantId, { avatarIds: [small.avatarId], allowedOrigins: [SITE] });
      expect((await create("http", key.apiKey, SITE, { avatar_id: small.avatarId })).status).toBe(201);
      const full = await create("http", key.apiKey, SITE, { avatar_id: small.avatarId });
      expect(full.status).toBe(429);
      expect(full.body).toMatchObject({ code: "session_limit_reached", retryable: true });
      expect(full.headers.get("retry-after")).toBeTruthy();
    });

    it("a revoked key is refused at once on both paths, though its lookup was cached", async () => {
      const key = await mintPublishableKey(world.db, world.a.tenantId, { avatarIds: [world.a.avatarId], allowedOrigins: [SITE] });
      expect((await create("route", key.apiKey, SITE)).status).toBe(201);
      expect((await create("http", key.apiKey, SITE)).status).toBe(201);
      const revoked = await revokeApiKey(world.db, world.a.tenantId, key.id);
      expect(revoked).toMatchObject({ kind: "publishable", status: "revoked" });
      for (const via of ["route", "http"] as const) {
        const res = await create(via, key.apiKey, SITE);
        expect(res.status, via).toBe(401);
        expect(res.body).toMatchObject({ code: "unauthorized" });
        expect(res.headers.get("access-control-allow-origin")).toBe(SITE);
      }
    });
  });
}
