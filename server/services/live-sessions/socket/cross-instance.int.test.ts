import { spawn, type ChildProcess } from "node:child_process";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SESSION_CLOSE } from "@/core/realtime/session-events";
import { realtimeSessions } from "@/server/db/schema";
import { callSession, connect, createSessionAs, useSessionWorld } from "../testing/session-world";

// Two server instances on one PostgreSQL database: the socket is held by another process
// (testing/socket-instance-main.ts), the REST calls are made here. Ending over REST reaches the
// socket wherever it is; the holder writes the billed figures; its SIGTERM ends its sessions.

const world = useSessionWorld("enterprise", "postgres");
let child: ChildProcess;
let origin: string;

beforeAll(async () => {
  child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "server/services/live-sessions/testing/socket-instance-main.ts"], {
    env: { ...process.env, LOG_LEVEL: "silent" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  origin = await new Promise<string>((done, fail) => {
    let err = "";
    child.stderr!.on("data", (d: Buffer) => {
      err += String(d);
      const m = /listening (\S+)/.exec(err);
      if (m) done(m[1]!);
    });
    child.once("exit", (code) => fail(new Error(`instance exited ${code}: ${err}`)));
  });
});
afterAll(() => {
  if (child.exitCode === null) child.kill("SIGKILL");
});

const row = async (id: string) => (await world.db.select().from(realtimeSessions).where(eq(realtimeSessions.id, id)))[0]!;

describe("a session held by another instance", () => {
  it("POST …/end here ends the socket there within ~1 s, and the holder writes the billed figures", async () => {
    const created = await createSessionAs(world, world.a);
    const client = connect(origin, created.body.url, created.body.client_secret.value);
    await client.next("session.created", 10_000);
    client.send({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] } });
    await client.next("response.done");
    const t0 = Date.now();
    expect((await callSession(world, "end", world.a, created.body.session_id)).status).toBe(200);
    expect((await client.next("session.ended", 3_000)).reason).toBe("ended_by_api");
    const ms = Date.now() - t0;
    console.log(`cross-instance REST end → session.ended: ${ms} ms`);
    expect(ms).toBeLessThan(1_500);
    await vi.waitFor(async () => expect(await row(created.body.session_id)).toMatchObject({ status: "ended", endReason: "ended_by_api", speechMs: 700, billedMicros: 700_000 }));
    // The holder stamps its heartbeat: a live session there is not swept as dead here.
    const live = await createSessionAs(world, world.a);
    const second = connect(origin, live.body.url, live.body.client_secret.value);
    await second.next("session.created", 10_000);
    expect((await callSession(world, "get", world.a, live.body.session_id)).body.status).toBe("connected");

    // SIGTERM to the holder: its sessions end server_shutdown, rows written before it exits.
    child.kill("SIGTERM");
    expect((await second.next("session.ended", 5_000)).reason).toBe("server_shutdown");
    expect((await second.closed).code).toBe(SESSION_CLOSE.going_away);
    await new Promise((done) => (child.exitCode === null ? child.once("exit", done) : done(null)));
    expect(await row(live.body.session_id)).toMatchObject({ status: "ended", endReason: "server_shutdown" });
  });
});
