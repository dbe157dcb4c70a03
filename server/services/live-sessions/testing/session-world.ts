import "server-only";
import { afterAll, beforeAll } from "vitest";
import WebSocket from "ws";
import { newId } from "@/core/ids/new-id";
import type { ServerEvent } from "@/core/realtime/session-events";
import type { Db } from "@/server/db/client";
import { avatars } from "@/server/db/schema";
import type { NextRouteHandler } from "@/server/http/api-route";
import { apiTestDatabaseKind, callRoute, mintKey, seedTenant, useTestDatabase } from "@/server/http/testing/test-api";

// Test support for live sessions: a database, a workspace with a key and a ready avatar, the real
// session routes, and a `ws` client that records every event and how the socket closed.

export type SessionRoutes = { create: NextRouteHandler; list: NextRouteHandler; get: NextRouteHandler; end: NextRouteHandler };
export type Workspace = { tenantId: string; key: string; avatarId: string };
export type World = { db: Db; routes: SessionRoutes; a: Workspace; b: Workspace };

/** A ready avatar (its row only: the sessions under test never render). */
export async function readyAvatar(db: Db, tenantId: string): Promise<string> {
  const id = newId("ava");
  await db.insert(avatars).values({ id, tenantId, displayName: "Ada", sourceKind: "image", modelId: "tic-portrait-v1", status: "ready" });
  return id;
}

/** A workspace on `plan` with a key (every scope, test environment) and a ready avatar. */
export async function workspace(db: Db, plan: string): Promise<Workspace> {
  const tenant = await seedTenant(db, { plan });
  const { apiKey } = await mintKey(db, tenant.id, { scopes: ["*"], environment: "test" });
  return { tenantId: tenant.id, key: apiKey, avatarId: await readyAvatar(db, tenant.id) };
}

/** The world of a test file: two workspaces (`a` on `plan`), set up before its tests. */
export function useSessionWorld(plan = "enterprise", kind: "pglite" | "postgres" = apiTestDatabaseKind()): World {
  const world = {} as World;
  let cleanup: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    ({ db: world.db, cleanup } = await useTestDatabase(kind));
    const [list, one, end] = await Promise.all([
      import("@/app/api/v1/realtime/sessions/route"),
      import("@/app/api/v1/realtime/sessions/[sessionId]/route"),
      import("@/app/api/v1/realtime/sessions/[sessionId]/end/route"),
    ]);
    world.routes = { create: list.POST, list: list.GET, get: one.GET, end: end.POST };
    world.a = await workspace(world.db, plan);
    world.b = await workspace(world.db, "enterprise");
  });
  afterAll(() => cleanup());
  return world;
}

/** A parsed answer body, read field by field as JSON.parse gives it (the contract test validates shapes). */
type JsonBody = ReturnType<typeof JSON.parse>;
export type Created = { status: number; body: JsonBody; headers: Headers };

/** POST /api/v1/realtime/sessions as `ws` (a workspace); `body` is merged over a minimal valid one. */
export async function createSessionAs(world: World, ws: Workspace, body: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Created> {
  const res = await callRoute(world.routes.create, { method: "POST", path: "/api/v1/realtime/sessions", key: ws.key, headers, body: { outputModality: "audio", avatar_id: ws.avatarId, ...body } });
  return { status: res.status, body: (await res.json()) as JsonBody, headers: res.headers };
}

/** A route call with a session id in its path. */
export async function callSession(world: World, route: "get" | "end", ws: Workspace, sessionId: string): Promise<{ status: number; body: JsonBody }> {
  const res = await callRoute(world.routes[route], {
    method: route === "end" ? "POST" : "GET",
    path: `/api/v1/realtime/sessions/${sessionId}${route === "end" ? "/end" : ""}`,
    key: ws.key,
    params: { sessionId },
  });
  return { status: res.status, body: (await res.json()) as JsonBody };
}

export type Client = {
  ws: WebSocket;
  events: ServerEvent[];
  binaries: Buffer[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves with the first event of `type` (already received or still to come). */
  next: <T extends ServerEvent["type"]>(type: T, ms?: number) => Promise<Extract<ServerEvent, { type: T }>>;
  send: (event: unknown) => void;
};

/** Every client connect() made in this process, so a suite can check all the events it received. */
export const clients: Client[] = [];

/** Connects to a session's socket URL (rewritten onto `origin`), with the secret as `token` or as a subprotocol. */
export function connect(origin: string, url: string, secret: string | null, via: "token" | "protocol" = "token", protocols: string[] = []): Client {
  const target = new URL(url);
  const base = new URL(origin);
  target.host = base.host;
  target.protocol = "ws:";
  if (secret && via === "token") target.searchParams.set("token", secret);
  const offered = via === "protocol" && secret ? [...protocols, secret] : protocols;
  const ws = new WebSocket(target, offered.length ? offered : undefined);
  const events: ServerEvent[] = [];
  const binaries: Buffer[] = [];
  const waiters: { type: string; done: (e: ServerEvent) => void }[] = [];
  ws.on("message", (data, isBinary) => {
    if (isBinary) return void binaries.push(data as Buffer);
    const e = JSON.parse(String(data)) as ServerEvent;
    events.push(e);
    for (const w of waiters.filter((w) => w.type === e.type)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.done(e);
    }
  });
  ws.on("error", () => undefined);
  const opened = new Promise<void>((done, fail) => {
    ws.once("open", () => done());
    ws.once("unexpected-response", (_req, res) => fail(new Error(`handshake answered ${res.statusCode}`)));
  });
  const closed = new Promise<{ code: number; reason: string }>((done) => ws.once("close", (code, reason) => done({ code, reason: String(reason) })));
  const client: Client = {
    ws,
    events,
    binaries,
    opened,
    closed,
    send: (event) => ws.send(typeof event === "string" ? event : JSON.stringify(event)),
    next: (type, ms = 5_000) => {
      const seen = events.find((e) => e.type === type);
      if (seen) return Promise.resolve(seen as never);
      return new Promise((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no ${type} within ${ms} ms; got ${events.map((e) => e.type).join(", ")}`)), ms);
        waiters.push({ type, done: (e) => (clearTimeout(timer), done(e as never)) });
      });
    },
  };
  clients.push(client);
  return client;
}
