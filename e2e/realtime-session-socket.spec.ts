import { expect, test } from "@playwright/test";
import WebSocket from "ws";
import { PG_BASE as BASE, readyAvatar, workspaceKey } from "./api-fixtures";

// The live-session socket through the production server `tic-avatar serve` runs: next-server.mjs
// hands the upgrade to the handler instrumentation.ts registered inside the Next.js process
// (server/http/process-bridge.ts). A workspace and key come from the admin CLI on the PostgreSQL
// server's database (see playwright.config.ts); the avatar is made through the public API.

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
  const key = workspaceKey("Live Sessions");
  const auth = { authorization: `Bearer ${key}` };

  const avatarId = await readyAvatar(request, key);

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
