// A turn's credit hold under a short lifetime (1.5 s) and a sweeper that runs every second: a client
// that reads slowly must still pay for what it received, however long it pauses.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MuxReader } from "@/core/mux";
import type { Db } from "@/server/db/client";
import { usageEvents } from "@/server/db/schema";
import { callRoute, useTestDatabase } from "@/server/http/testing/test-api";
import { createPortraitAvatar, loadRoutes, reservationsOf, seedCaller, testWallet, type Routes } from "./testing/turn-fixture";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
  process.env.RESERVATION_LEASE_MS = "1500";
  process.env.RESERVATION_SWEEP_INTERVAL_MS = "1000";
});

const storageDir = mkdtempSync(join(tmpdir(), "tic-turn-hold-"));
let db: Db;
let cleanup: () => Promise<void>;
let routes: Routes;
let caller: { tenantId: string; key: string };
let avatarId: string;

beforeAll(async () => {
  process.env.STORAGE_DIR = storageDir;
  ({ db, cleanup } = await useTestDatabase("postgres"));
  routes = await loadRoutes();
  caller = await seedCaller(db, 600_000_000);
  avatarId = await createPortraitAvatar(routes, caller.key);
  await vi.waitFor(
    async () => {
      const res = await callRoute(routes.getAvatar, { path: `/api/v1/avatars/${avatarId}`, key: caller.key, params: { avatarId } });
      expect(((await res.json()) as { status: string }).status).toBe("ready");
    },
    { timeout: 90_000, interval: 250 },
  );
});
afterAll(async () => {
  await cleanup();
  rmSync(storageDir, { recursive: true, force: true });
});

describe("a turn's credit hold", () => {
  it("a reader that pauses longer than the hold's lifetime still pays for the whole turn it received", async () => {
    const before = await testWallet(db, caller.tenantId);
    const res = await callRoute(routes.turn, {
      method: "POST",
      path: "/api/v1/realtime/turn",
      key: caller.key,
      body: { avatar_id: avatarId, mode: "speak_text", text: "A slow reader still pays for every word it hears. ".repeat(2), playout_delay_ms: 2000 },
    });
    expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
    const reader = res.body!.getReader();
    const mux = new MuxReader();
    const kinds: string[] = [];
    let samples = 0;
    let sampleRate = 0;
    const take = (value: Uint8Array) => {
      for (const r of mux.push(value)) {
        kinds.push(r.kind);
        if (r.kind === "header") sampleRate = r.sampleRate;
        if (r.kind === "audio") samples += r.samples.length;
      }
    };
    const first = await reader.read();
    take(first.value!);
    // Three lifetimes and several sweeper passes without reading a byte.
    await new Promise((r) => setTimeout(r, 5_000));
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      take(value);
    }
    expect(kinds.at(-1)).toBe("end");
    const sent = Math.floor((samples * 1e6) / sampleRate);
    expect(sent).toBeGreaterThan(2_000_000);
    await vi.waitFor(async () => expect((await reservationsOf(db, caller.tenantId)).at(-1)!.status).toBe("settled"), { timeout: 5_000 });
    const hold = (await reservationsOf(db, caller.tenantId)).at(-1)!;
    expect(hold.settledMicros).toBe(sent);
    const after = await testWallet(db, caller.tenantId);
    expect(after.usedMicros - before.usedMicros).toBe(sent);
    expect(before.availableMicros - after.availableMicros).toBe(sent);
    expect(after.reservedMicros).toBe(0);
    const usage = await db.select().from(usageEvents).where(eq(usageEvents.tenantId, caller.tenantId));
    expect(usage.reduce((n, u) => n + u.creditMicros, 0)).toBe(sent);
  });
});
