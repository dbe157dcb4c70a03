import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";

// The README's server as a user runs it, on its own embedded database: `tic-avatar admin` beside it
// takes effect at once (the server owns the PGlite folder and shares it), and SIGTERM stops the
// whole process tree, leaving nothing that holds the port. The production build is required, as
// for the other specs; the server here is a third one, started and stopped by this spec.

const dataDir = mkdtempSync(join(tmpdir(), "tic-e2e-serve-"));
const env = { ...process.env, LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1", DATA_DIR: dataDir, PGLITE_DATA_DIR: join(dataDir, "pglite"), DATABASE_URL: "" };

/**
 * `tic-avatar admin …` with the server's environment; its last output line parsed as JSON. Run
 * without blocking this process, whose idle keep-alive connection to the server must stay usable.
 */
async function admin(...args: string[]): Promise<Record<string, string>> {
  const { stdout } = await promisify(execFile)(process.execPath, ["bin/tic-avatar.mjs", "admin", ...args], { env, encoding: "utf8" });
  return JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, string>;
}

function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

/** Whether something can listen on `port` now (nothing else holds it). */
function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = createServer()
      .once("error", () => done(false))
      .listen(port, () => s.close(() => done(true)));
  });
}

/** Every process below `pid`, read from ps. */
function descendants(pid: number): number[] {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const out: number[] = [];
  for (const queue = [pid]; queue.length; ) {
    const parent = queue.shift()!;
    for (const [child, ppid] of rows) {
      if (ppid !== parent) continue;
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) if (await check()) return true;
  return check();
}

test.afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test("a key created by the admin CLI works at once on the running server, and SIGTERM stops the whole server", async () => {
  test.setTimeout(240_000);
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const serve = spawn(process.execPath, ["bin/tic-avatar.mjs", "serve", "--port", String(port)], { env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  serve.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((done) => serve.once("exit", (code) => done(code)));
  let tree: number[] = [];
  try {
    const up = await until(async () => (await fetch(`${base}/api/health`).catch(() => null))?.ok === true, 180_000);
    expect(up, `serve did not answer /api/health: ${stderr}`).toBe(true);

    const balance = (key: string) => fetch(`${base}/api/v1/credits/balance`, { headers: { authorization: `Bearer ${key}` } });
    // The server has looked keys up before (a miss is cached too), as a running server has.
    expect((await balance("tic_test_not_a_real_key")).status).toBe(401);
    const tenant = await admin("create-tenant", "--name", "Serve Co", "--owner", `serve-${Date.now().toString(36)}@example.com`);
    const key = await admin("create-key", "--tenant", tenant.slug!, "--scopes", "*", "--env", "test");
    const res = await balance(key.apiKey!);
    expect(res.status, await res.clone().text()).toBe(200);

    tree = descendants(serve.pid!);
    expect(tree.length, "serve runs next-server as a child").toBeGreaterThan(0);
    const signalled = Date.now();
    serve.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(await until(() => tree.every((pid) => !alive(pid)), 10_000), `left running: ${tree.filter(alive).join(", ")}`).toBe(true);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(await portFree(port), `port ${port} is still held`).toBe(true);
    expect(await fetch(`${base}/api/health`).then(() => "answered", () => "refused")).toBe("refused");
  } finally {
    // Whatever failed, leave nothing running: the tree as it is now, or as it was before SIGTERM.
    const left = [...new Set([...(alive(serve.pid!) ? descendants(serve.pid!) : []), ...tree, serve.pid!])];
    for (const pid of left) if (alive(pid)) process.kill(pid, "SIGKILL");
  }
});
