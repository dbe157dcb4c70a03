// A turn's credit hold under a short lifetime (1.5 s) and a sweeper that runs every second: a client
// that reads slowly must still pay for what it received, however long it pauses.
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { MuxReader, type MuxRecord } from "@/core/mux";
import { usageEvents } from "@/server/db/schema";
import { callRoute } from "@/server/http/testing/test-api";
import { sweepExpiredReservations } from "../credits/hold-lifetime";
import { reservationsOf, testWallet, useTurnWorld } from "./testing/turn-fixture";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
  process.env.RESERVATION_LEASE_MS = "1500";
  process.env.RESERVATION_SWEEP_INTERVAL_MS = "1000";
});

const world = useTurnWorld("turn-hold", 600_000_000);

/** Starts a turn, reads its first chunk, runs `pause`, then reads the rest; returns what arrived. */
async function readWithPause(text: string, pause: () => Promise<void>) {
  const res = await callRoute(world.routes.turn, {
    method: "POST",
    path: "/api/v1/realtime/turn",
    key: world.caller.key,
    body: { avatar_id: world.avatarId, mode: "speak_text", text, playout_delay_ms: 2000 },
  });
  expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
  const reader = res.body!.getReader();
  const mux = new MuxReader();
  const records: MuxRecord[] = [];
  let samples = 0;
  let sampleRate = 0;
  const take = (value: Uint8Array) => {
    for (const r of mux.push(value)) {
      records.push(r);
      if (r.kind === "header") sampleRate = r.sampleRate;
      if (r.kind === "audio") samples += r.samples.length;
    }
  };
  take((await reader.read()).value!);
  await pause();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    take(value);
  }
  return { records, sentMicros: Math.floor((samples * 1e6) / sampleRate) };
}

/** The sandbox wallet and the usage recorded so far. */
async function snapshot() {
  const wallet = await testWallet(world.db, world.caller.tenantId);
  const usage = await world.db.select().from(usageEvents).where(eq(usageEvents.tenantId, world.caller.tenantId));
  return { wallet, usageMicros: usage.reduce((n, u) => n + u.creditMicros, 0) };
}

/** What the last turn was billed, once its hold is settled. */
async function billed(before: Awaited<ReturnType<typeof snapshot>>) {
  await vi.waitFor(async () => expect((await reservationsOf(world.db, world.caller.tenantId)).at(-1)!.status).toBe("settled"), { timeout: 5_000 });
  const hold = (await reservationsOf(world.db, world.caller.tenantId)).at(-1)!;
  const after = await snapshot();
  return {
    hold,
    used: after.wallet.usedMicros - before.wallet.usedMicros,
    debited: before.wallet.availableMicros - after.wallet.availableMicros,
    reserved: after.wallet.reservedMicros,
    usage: after.usageMicros - before.usageMicros,
  };
}

describe("a turn's credit hold", () => {
  it("a reader that pauses longer than the hold's lifetime still pays for the whole turn it received", async () => {
    const before = await snapshot();
    const { records, sentMicros } = await readWithPause("A slow reader still pays for every word it hears. ".repeat(2), async () => {
      // Three lifetimes and several sweeper passes without reading a byte: the heartbeat keeps the hold.
      await new Promise((r) => setTimeout(r, 5_000));
      expect((await reservationsOf(world.db, world.caller.tenantId)).at(-1)!.status).toBe("pending");
    });
    expect(records.at(-1)).toMatchObject({ kind: "end", reason: "complete" });
    expect(records.filter((r) => r.kind === "error")).toEqual([]);
    expect(sentMicros).toBeGreaterThan(2_000_000);
    const bill = await billed(before);
    expect(bill.hold.settledMicros).toBe(sentMicros);
    expect(bill).toMatchObject({ used: sentMicros, debited: sentMicros, reserved: 0, usage: sentMicros });
  });

  it("a hold lost anyway ends the turn with hold_lost, billed for exactly what was sent before", async () => {
    const before = await snapshot();
    const { records, sentMicros } = await readWithPause("This turn loses its hold while the reader waits, and must stop there. ".repeat(2), async () => {
      // Another process's sweeper, its clock an hour ahead, expires the hold (as a stall past the lease would).
      expect(await sweepExpiredReservations(world.db, new Date(Date.now() + 3_600_000))).toBe(1);
      await new Promise((r) => setTimeout(r, 1_500));
    });
    expect(records.filter((r) => r.kind === "error")).toMatchObject([{ code: "hold_lost", retryable: true }]);
    expect(records.at(-1)).toMatchObject({ kind: "end", reason: "error" });
    const bill = await billed(before);
    expect(bill.hold.settledMicros).toBe(sentMicros);
    expect(bill).toMatchObject({ used: sentMicros, debited: sentMicros, reserved: 0, usage: sentMicros });
  });
});
