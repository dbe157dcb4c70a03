import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import WebSocket from "ws";

// The live-session socket through the production server `tic-avatar serve` runs: next-server.mjs
// hands the upgrade to the handler instrumentation.ts registered inside the Next.js process
// (server/http/process-bridge.ts). A workspace and key come from the admin CLI on the PostgreSQL
// server's database (see playwright.config.ts); the avatar is made through the public API.

const BASE = process.env.E2E_PG_BASE_URL!;
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

function cli(args: string[]): Record<string, string> {
  const out = execFileSync(process.execPath, ["bin/tic-avatar.mjs", "admin", ...args], { env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL }, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!);
}

type Socket = { ws: WebSocket; events: { type: string; [k: string]: unknown }[]; closed: Promise<number> };

function open(url: string, protocols?: string[]): Socket {
  const ws = new WebSocket(url, protocols);
  const events: Socket["events"] = [];
  ws.on("message", (data, binary) => {
    if (!binary) events.push(JSON.parse(String(data)));
  });
  ws.on("error", () => undefined);
  return { ws, events, closed: new Promise((done) => ws.once("close", (code) => done(code))) };
}

test("a live session's socket upgrades on the production server: created, single-use secret, REST end", async ({ request }) => {
  test.setTimeout(150_000);
  const tenant = cli(["create-tenant", "--name", "Live Sessions", "--owner", `live-${unique()}@example.com`]);
  const key = cli(["create-key", "--tenant", tenant.id!, "--scopes", "*", "--env", "test"]).apiKey!;
  const auth = { authorization: `Bearer ${key}` };

  const asset = await request.post(`${BASE}/api/v1/assets`, { headers: auth, multipart: { file: { name: "astronaut.png", mimeType: "image/png", buffer: readFileSync("public/demo/astronaut.png") } } });
  expect(asset.status(), await asset.text()).toBe(201);
  const avatar = await request.post(`${BASE}/api/v1/avatars`, { headers: auth, data: { displayName: "Astronaut", sourceKind: "image", sourceAssetId: (await asset.json()).id } });
  const avatarId = (await avatar.json()).id as string;
  await expect(async () => {
    const got = await request.get(`${BASE}/api/v1/avatars/${avatarId}`, { headers: auth });
    expect((await got.json()).status).toBe("ready");
  }).toPass({ timeout: 90_000, intervals: [1_000] });

  const created = await request.post(`${BASE}/api/v1/realtime/sessions`, { headers: auth, data: { outputModality: "audio", avatar_id: avatarId, input: "text" } });
  expect(created.status(), await created.text()).toBe(201);
  const session = await created.json();
  expect(session.url).toBe(`${BASE.replace(/^http/, "ws")}/api/v1/realtime/sessions/${session.session_id}/socket`);

  const socket = open(session.url, ["tic-realtime", session.client_secret.value]);
  await expect.poll(() => socket.events[0]?.type, { timeout: 10_000 }).toBe("session.created");
  expect(socket.ws.protocol).toBe("tic-realtime");
  expect(socket.events[0]).toMatchObject({ session: { id: session.session_id, thread_id: session.threadId } });

  // The secret is single-use, whoever holds it.
  const again = open(`${session.url}?token=${session.client_secret.value}`);
  expect(await again.closed).toBe(4002);

  // Ending over REST reaches the socket (or finds the session already ended by the loop, idempotently).
  const ended = await request.post(`${BASE}/api/v1/realtime/sessions/${session.session_id}/end`, { headers: auth });
  expect(ended.status()).toBe(200);
  expect((await ended.json()).status).toBe("ended");
  expect(await socket.closed).toBeGreaterThanOrEqual(1000);
  await expect.poll(() => socket.events.some((e) => e.type === "session.ended"), { timeout: 5_000 }).toBe(true);

  // Other upgrades still reach Next.js, and plain requests are unaffected.
  expect((await request.get(`${BASE}/api/health`)).status()).toBe(200);
});
