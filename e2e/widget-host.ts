import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { test } from "@playwright/test";
import { createSessionMiddleware } from "../packages/sdk/src/server/session-route";
import { createServer as createTcpServer, connect, type AddressInfo, type Socket } from "node:net";

// The customer's side of a widget embed, for the widget specs: a static host page on another origin
// (its own local port) that embeds the widget with one script tag, and the tiny server routes a
// customer writes: session-url (the SDK's createSessionMiddleware: creates the session with the
// secret API key through our REST API, passing the page's WebRTC offer through, and hands the page
// only the client secret) and assets-url (the avatar's render assets for audio mode). A few routes
// answer badly on purpose for the bad-input states.

export type WidgetWorld = { base: string; key: string; avatarId: string; tenantId: string; databaseUrl: string };

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

const admin = (databaseUrl: string, args: string[]) =>
  JSON.parse(execFileSync(process.execPath, ["bin/tic-avatar.mjs", "admin", ...args], { env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: "utf8" }).trim().split("\n").pop()!) as Record<string, string>;

/** A publishable key (tic_pub_test_…) of the world's workspace for its avatar, usable from `origins` (the admin CLI, the dashboard's service). */
export function publishableKey(world: WidgetWorld, origins: string[]): string {
  return admin(world.databaseUrl, ["create-key", "--tenant", world.tenantId, "--kind", "publishable", "--origins", origins.join(","), "--avatars", world.avatarId, "--env", "test", "--name", "widget embed"]).apiKey!;
}

/** A workspace, a test key and a ready avatar on the server at `base` (admin CLI on its database, then the public API). */
export async function widgetWorld(base: string, databaseUrl: string): Promise<WidgetWorld> {
  const cli = (args: string[]) => admin(databaseUrl, args);
  const tenant = cli(["create-tenant", "--name", "Widget Embeds", "--owner", `widget-${unique()}@example.com`]);
  const key = cli(["create-key", "--tenant", tenant.id!, "--scopes", "*", "--env", "test"]).apiKey!;
  const auth = { authorization: `Bearer ${key}` };
  const form = new FormData();
  form.append("file", new Blob([readFileSync("public/demo/astronaut.png")], { type: "image/png" }), "astronaut.png");
  const asset = (await (await fetch(`${base}/api/v1/assets`, { method: "POST", headers: auth, body: form })).json()) as { id: string };
  const avatar = (await (await fetch(`${base}/api/v1/avatars`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ displayName: "Widget", sourceKind: "image", sourceAssetId: asset.id }) })).json()) as { id: string };
  for (const end = Date.now() + 120_000; Date.now() < end; await new Promise((r) => setTimeout(r, 1000))) {
    const got = (await (await fetch(`${base}/api/v1/avatars/${avatar.id}`, { headers: auth })).json()) as { status: string };
    if (got.status === "ready") return { base, key, avatarId: avatar.id, tenantId: tenant.id!, databaseUrl };
  }
  throw new Error(`avatar ${avatar.id} did not become ready`);
}

export type HostServer = {
  origin: string;
  page(name: string, body: string): string;
  /** Cuts every session socket that went through /session-via-proxy, as a network drop would. */
  dropConnections(): number;
  close(): Promise<void>;
};

/** A TCP pass-through to `target` whose connections the test can cut. */
async function dropProxy(target: URL): Promise<{ port: number; drop(): number; close(): void }> {
  const open = new Set<Socket>();
  const server = createTcpServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    open.add(client);
    client.on("close", () => open.delete(client));
    client.pipe(upstream).pipe(client);
    const end = () => (client.destroy(), upstream.destroy());
    client.on("error", end);
    upstream.on("error", end);
    upstream.on("close", end);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    drop() {
      const n = open.size;
      for (const s of open) s.destroy();
      return n;
    },
    close: () => server.close(),
  };
}

/** Starts the host origin on a free port. `files` are served as is (e.g. a WAV for an <audio> element). */
export async function startHost(world: WidgetWorld, files: Record<string, { type: string; body: Buffer }> = {}): Promise<HostServer> {
  const pages = new Map<string, string>();
  const proxy = await dropProxy(new URL(world.base));
  // session-url as a customer writes it with the SDK: its own key; the avatar the page asked for (a
  // real customer would decide it); the page's transport (its WebRTC offer) passed through by the adapter.
  const sessionRoute = createSessionMiddleware<IncomingMessage & { body?: unknown }, true>({
    apiKey: world.key,
    baseUrl: world.base,
    authorize: () => true,
    session: (req) => ({ outputModality: "audio", avatar_id: String((req.body as { avatar_id?: unknown } | null)?.avatar_id ?? ""), input: (req.body as { input?: "voice" | "text" } | null)?.input ?? "voice", render: "client" }),
    onError: (e) => console.error("host session route:", e),
  });
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://host");
    const send = (status: number, type: string, body: string | Buffer) => res.writeHead(status, { "content-type": type }).end(body);
    try {
      if (req.method === "POST" && url.pathname === "/session") return await sessionRoute(req, res);
      if (req.method === "POST" && url.pathname === "/session-via-proxy") {
        // Hand-written like a customer's own route (no `transport` passed through, so the widget's WebRTC
        // attempt gets a socket session and uses it), with the socket URL pointed at the cuttable proxy.
        const asked = JSON.parse(await readBody(req)) as { avatar_id: string; input: string };
        const r = await fetch(`${world.base}/api/v1/realtime/sessions`, {
          method: "POST",
          headers: { authorization: `Bearer ${world.key}`, "content-type": "application/json" },
          body: JSON.stringify({ outputModality: "audio", avatar_id: asked.avatar_id, input: asked.input, render: "client" }),
        });
        const body = (await r.json()) as Record<string, unknown>;
        if (!r.ok) return send(r.status, "application/json", JSON.stringify(body));
        const socketUrl = String(body.url).replace(/\/\/[^/]+/, `//localhost:${proxy.port}`);
        return send(200, "application/json", JSON.stringify({ session_id: body.session_id, client_secret: body.client_secret, url: socketUrl, expires_at: body.expires_at }));
      }
      if (url.pathname === "/session-fails") return send(500, "application/json", JSON.stringify({ error: "our session service is down" }));
      if (url.pathname === "/session-garbage") return send(200, "text/html", "<html><body>Welcome!</body></html>");
      if (url.pathname === "/assets") {
        const r = await fetch(`${world.base}/api/v1/avatars/${url.searchParams.get("avatar") ?? world.avatarId}/render-assets`, { headers: { authorization: `Bearer ${world.key}` } });
        return send(r.status, "application/json", await r.text());
      }
      const file = files[url.pathname];
      if (file) return send(200, file.type, file.body);
      const page = pages.get(url.pathname);
      if (page) return send(200, "text/html; charset=utf-8", page);
      send(404, "text/plain", "not found");
    } catch (e) {
      send(500, "text/plain", String(e));
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  // localhost, not 127.0.0.1: a secure context (the microphone needs one), and another origin than the widget's by its port.
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    page(name, body) {
      // One script tag; the page records the element's events for the spec to read (capturing: `error` does not bubble).
      pages.set(`/${name}`, `<!doctype html><html><head><meta charset="utf-8"><title>${name}</title>
<script src="${world.base}/widget.js" async></script>
<script>window.__events=[];for(const t of ["ready","status","transcript","error","ended"])document.addEventListener(t,(e)=>{if(e.target.localName==="tic-avatar")window.__events.push({id:e.target.id,type:t,detail:e.detail});},true);</script>
</head><body>${body}</body></html>`);
      return `${origin}/${name}`;
    },
    dropConnections: () => proxy.drop(),
    close: () => new Promise((r) => (proxy.close(), server.close(() => r()))),
  };
}

function readBody(req: import("node:http").IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = "";
    req.on("data", (c) => (s += c));
    req.on("end", () => resolve(s));
    req.on("error", reject);
  });
}

/**
 * The world and host origin of a widget spec file, set up once before its tests (on the PostgreSQL
 * server of playwright.config.ts) and closed after; `files` are served by the host as is.
 */
export function useWidgetHost(files: () => Record<string, { type: string; body: Buffer }> = () => ({})): { world: WidgetWorld; host: HostServer } {
  const ctx = {} as { world: WidgetWorld; host: HostServer };
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    ctx.world = await widgetWorld(process.env.E2E_PG_BASE_URL!, process.env.E2E_DATABASE_URL!);
    ctx.host = await startHost(ctx.world, files());
  });
  test.afterAll(() => ctx.host?.close());
  return ctx;
}
