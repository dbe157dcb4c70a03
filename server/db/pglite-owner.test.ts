import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { claimFolder, runDirOf } from "./pglite-owner";

const root = mkdtempSync(join(tmpdir(), "tic-owner-"));
let n = 0;
const folder = () => join(root, `db${++n}`);
const ownerFile = (dir: string) => join(runDirOf(dir), "owner.json");
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A pid that no process has any more. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", "0"]).pid!;
}

/** A folder whose run directory holds `record`, as a process that is gone left it. */
function leftBehind(record: object): string {
  const dir = folder();
  mkdirSync(runDirOf(dir), { recursive: true });
  writeFileSync(ownerFile(dir), JSON.stringify(record));
  return dir;
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((done) => server.listen(port, "127.0.0.1", () => done((server.address() as { port: number }).port)));
}

describe("claiming a PGlite folder", () => {
  it("the first claimant owns it; the record goes away on release", async () => {
    const dir = folder();
    const claim = await claimFolder(dir);
    expect(claim.kind).toBe("owner");
    expect(JSON.parse(readFileSync(ownerFile(dir), "utf8"))).toMatchObject({ pid: process.pid });
    if (claim.kind === "owner") claim.release();
    expect(existsSync(ownerFile(dir))).toBe(false);
  });

  it("a second claimant waits while the owner does not share, and claims once it lets go", async () => {
    const dir = folder();
    const first = await claimFolder(dir);
    if (first.kind !== "owner") throw new Error("expected to own");
    await expect(claimFolder(dir, { waitMs: 300 })).rejects.toMatchObject({ code: "unavailable" });
    const second = claimFolder(dir, { waitMs: 5_000 });
    setTimeout(() => first.release(), 200);
    const claim = await second;
    expect(claim.kind).toBe("owner");
    if (claim.kind === "owner") claim.release();
  });

  it("a claimant becomes a guest of an owner that shares, at the endpoint it advertises", async () => {
    const dir = folder();
    const first = await claimFolder(dir);
    if (first.kind !== "owner") throw new Error("expected to own");
    const server = createServer((s) => s.end());
    const port = await listen(server);
    first.advertise({ host: "127.0.0.1", port });
    expect(await claimFolder(dir)).toEqual({ kind: "guest", endpoint: { host: "127.0.0.1", port } });
    server.close();
    first.release();
  });

  it("takes over the record of an owner that died (crash, SIGKILL)", async () => {
    const claim = await claimFolder(leftBehind({ pid: deadPid(), token: "crashed" }), { waitMs: 1_000 });
    expect(claim.kind).toBe("owner");
    if (claim.kind === "owner") claim.release();
  });

  it("takes over a record whose pid is alive but whose endpoint no longer answers (a reused pid)", async () => {
    const server = createServer();
    const port = await listen(server);
    await new Promise((r) => server.close(r));
    const claim = await claimFolder(leftBehind({ pid: process.ppid, token: "old", endpoint: { host: "127.0.0.1", port } }), { waitMs: 1_000 });
    expect(claim.kind).toBe("owner");
    if (claim.kind === "owner") claim.release();
  });

  it("of many claimants racing for a stale record, exactly one owns the folder at a time", async () => {
    const dir = leftBehind({ pid: deadPid(), token: "crashed" });
    let holders = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        const claim = await claimFolder(dir, { waitMs: 10_000 });
        if (claim.kind !== "owner") throw new Error("expected to own");
        most = Math.max(most, ++holders);
        await new Promise((r) => setTimeout(r, 20));
        holders--;
        claim.release();
      }),
    );
    expect(most).toBe(1);
  });
});
