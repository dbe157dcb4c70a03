import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { guestPoolConfig, shareDatabase } from "./pglite-share";

// The owner's own queries and every guest's share one PGlite: a request or transaction of one never
// runs inside another's.

// One PGlite for the file (starting one takes seconds); each test empties the table.
const pglite = new PGlite();
const runDir = mkdtempSync(join(tmpdir(), "tic-share-"));
let share: Awaited<ReturnType<typeof shareDatabase>>;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  await pglite.exec("create table t (id int primary key, who text)");
  share = await shareDatabase(pglite, runDir);
}, 60_000);
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await pglite.exec("truncate t");
});
afterAll(async () => {
  await share.stop();
  await pglite.close();
  rmSync(runDir, { recursive: true, force: true });
});

async function guest(endpoint: { host: string; port: number }) {
  const client = new pg.Client(guestPoolConfig(endpoint));
  await client.connect();
  cleanups.push(() => client.end().catch(() => undefined));
  return client;
}

const rows = async () => (await pglite.query<{ id: number; who: string }>("select id, who from t order by id")).rows;

describe("sharing PGlite with other processes", () => {
  it("an in-process write made while a guest is inside a transaction is not rolled back with it", async () => {
    const a = await guest(share.endpoint);
    await a.query("begin");
    await a.query("insert into t values (1, 'guest')");
    const own = pglite.query("insert into t values (2, 'owner')");
    await new Promise((r) => setTimeout(r, 100));
    await a.query("rollback");
    await own;
    expect(await rows()).toEqual([{ id: 2, who: "owner" }]);
  });

  it("a guest's transaction waits for one the owner has open", async () => {
    const a = await guest(share.endpoint);
    let release!: () => void;
    const ownTx = pglite.transaction(async (tx) => {
      await tx.query("insert into t values (1, 'owner')");
      await new Promise<void>((r) => (release = r));
      await tx.rollback();
    });
    await new Promise((r) => setTimeout(r, 50));
    const theirs = a.query("insert into t values (2, 'guest') returning id");
    await new Promise((r) => setTimeout(r, 100));
    release();
    await ownTx;
    await theirs;
    expect(await rows()).toEqual([{ id: 2, who: "guest" }]);
  });

  it("two guests' parameterised queries and transactions stay their own", async () => {
    const [a, b] = [await guest(share.endpoint), await guest(share.endpoint)];
    await a.query("begin");
    await a.query("insert into t values ($1, $2)", [1, "a"]);
    const fromB = Promise.all(Array.from({ length: 20 }, (_, i) => b.query<{ n: number }>("select $1::int + 1000 as n", [i])));
    await a.query("rollback");
    expect((await fromB).map((r) => r.rows[0]!.n)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1000));
    const fromA = await Promise.all(Array.from({ length: 20 }, (_, i) => a.query<{ s: string }>("select $1::text || 'x' as s", [i])));
    expect(fromA.map((r) => r.rows[0]!.s)).toEqual(Array.from({ length: 20 }, (_, i) => `${i}x`));
    expect(await rows()).toEqual([]);
  });

  it("a guest that disconnects inside a transaction leaves nothing behind and blocks no one", async () => {
    const a = await guest(share.endpoint);
    await a.query("begin");
    await a.query("insert into t values (1, 'gone')");
    a.on("error", () => undefined); // the connection this test cuts
    (a as unknown as { connection: { stream: { destroy: () => void } } }).connection.stream.destroy();
    await pglite.query("insert into t values (2, 'owner')");
    expect(await rows()).toEqual([{ id: 2, who: "owner" }]);
  });

  it("serves over TCP on 127.0.0.1 where the socket path would be too long", async () => {
    const long = join(runDir, "x".repeat(100));
    const tcp = await shareDatabase(pglite, long);
    cleanups.push(() => tcp.stop());
    expect(tcp.endpoint.host).toBe("127.0.0.1");
    const a = await guest(tcp.endpoint);
    expect((await a.query<{ n: number }>("select 1 as n")).rows).toEqual([{ n: 1 }]);
  });
});
