import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { rateLimitHeaders, RateLimit } from "../services/rate-limit";
import type { RateLimitStore } from "../services/rate-limit-store";

// What every rate-limit store must do, run against each adapter (memory in the unit suite, Redis in
// the integration suite): the same limit behaves the same wherever its counters live.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Declares the contract's tests for stores made by `open` (each call: a new instance's store). */
export function rateLimitContract(open: () => RateLimitStore | Promise<RateLimitStore>) {
  const fresh = () => `t${randomBytes(5).toString("hex")}`;
  const limitOn = async (opened: RateLimitStore | Promise<RateLimitStore>, name: string, perSecond: number, burst: number) => new RateLimit(name, { perSecond, burst }, (await opened).counter);

  it("allows the burst, then refuses with a Retry-After, then allows again after it", async () => {
    const limit = await limitOn(open(), fresh(), 1, 5);
    const taken = [];
    for (let i = 0; i < 5; i++) taken.push(await limit.take("k"));
    expect(taken.map((t) => t.allowed)).toEqual([true, true, true, true, true]);
    expect(taken.map((t) => t.remaining)).toEqual([4, 3, 2, 1, 0]);
    const refused = await limit.take("k");
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 1, limit: 5 });
    expect(rateLimitHeaders(refused)).toMatchObject({ "Retry-After": "1", "RateLimit-Policy": "5;w=5" });
    await sleep(1_050);
    expect((await limit.take("k")).allowed).toBe(true);
  });

  it("keeps counters independent per id and per limit name", async () => {
    const store = await open();
    const a = await limitOn(store, fresh(), 1, 1);
    const b = await limitOn(store, fresh(), 1, 1);
    expect((await a.take("x")).allowed).toBe(true);
    expect((await a.take("x")).allowed).toBe(false);
    expect((await a.take("y")).allowed).toBe(true);
    expect((await b.take("x")).allowed).toBe(true);
  });

  it("gives a refunded point back, from whichever window it was taken", async () => {
    const limit = await limitOn(open(), fresh(), 1 / 60, 3);
    for (let i = 0; i < 30; i++) {
      const t = await limit.take("k");
      expect(t.allowed).toBe(true);
      await t.refund();
    }
    for (let i = 0; i < 3; i++) expect((await limit.take("k")).allowed).toBe(true);
    const refused = await limit.take("k");
    // One a minute after the burst, as the steady window says.
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 60 });
  });
}

/** Two stores (two app instances) charging one limit: `shared` says whether they see each other's charges. */
export async function allowedAcross(stores: RateLimitStore[], name: string, burst: number, attempts: number): Promise<number> {
  const limits = stores.map((s) => new RateLimit(name, { perSecond: 1 / 600, burst }, s.counter));
  let allowed = 0;
  for (let i = 0; i < attempts; i++) if ((await limits[i % limits.length]!.take("same-key")).allowed) allowed++;
  return allowed;
}
