import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { processAlive } from "../../ops/process-alive";
import { finished, startCli } from "../testing/run-cli";

// `tic-avatar serve` runs Next.js (server/http/next-server.mjs) as a child. Without a production build
// here, the child is a stand-in at the path serve starts (server/http/next-server.mjs under the working folder) that
// behaves as next-server does on signals: exits 143 on SIGTERM (or, "stubborn", ignores it).

const ROOT = join(import.meta.dirname, "../../..");
const project = mkdtempSync(join(tmpdir(), "tic-serve-"));
mkdirSync(join(project, ".next"));
writeFileSync(join(project, ".next/BUILD_ID"), "stand-in\n");
mkdirSync(join(project, "server/http"), { recursive: true });
symlinkSync(join(ROOT, "drizzle"), join(project, "drizzle"));
writeFileSync(
  join(project, "server/http/next-server.mjs"),
  `import { writeFileSync } from "node:fs";
const mode = process.env.STANDIN_MODE;
writeFileSync(${JSON.stringify(join(project, "standin.json"))}, JSON.stringify({ pid: process.pid, parent: process.ppid, args: process.argv.slice(2) }));
process.on("SIGTERM", () => { if (mode !== "stubborn") process.exit(143); });
process.on("SIGINT", () => { if (mode !== "stubborn") process.exit(130); });
if (mode === "crash") setTimeout(() => process.exit(0), 200);
setInterval(() => undefined, 1000);
`,
);

async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (check()) return true;
  return check();
}

function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

/** Starts serve with the stand-in and waits until the stand-in runs; returns the CLI and the stand-in's pids. */
async function serve(mode: "polite" | "stubborn" | "crash") {
  rmSync(join(project, "standin.json"), { force: true });
  const cli = startCli(["serve", "--port", String(await freePort())], { cwd: project, env: { DATA_DIR: join(project, "data"), STANDIN_MODE: mode } });
  const exit = finished(cli);
  const started = await Promise.race([until(() => existsSync(join(project, "standin.json")), 110_000), exit.then(() => false)]);
  if (!started) throw new Error(`serve did not start the stand-in: ${JSON.stringify(await exit)}`);
  await new Promise((r) => setTimeout(r, 100)); // let the file's content land
  const standin = JSON.parse(readFileSync(join(project, "standin.json"), "utf8")) as { pid: number; parent: number };
  return { cli, exit, standin: standin.pid, supervisor: standin.parent };
}

describe("stopping tic-avatar serve", () => {
  const leftovers: number[] = [];
  afterAll(() => {
    for (const pid of leftovers) if (processAlive(pid)) process.kill(pid, "SIGKILL");
    rmSync(project, { recursive: true, force: true });
  });

  it("SIGTERM to the CLI stops next-server and every process between within a few seconds; exit 0", async () => {
    const run = await serve("polite");
    leftovers.push(run.standin, run.supervisor);
    const signalled = Date.now();
    run.cli.kill("SIGTERM");
    expect(await until(() => !processAlive(run.standin) && !processAlive(run.supervisor), 5_000)).toBe(true);
    const result = await run.exit;
    expect(Date.now() - signalled).toBeLessThan(5_000);
    expect(result.code).toBe(0);
  });

  it("SIGINT does the same", async () => {
    const run = await serve("polite");
    leftovers.push(run.standin, run.supervisor);
    run.cli.kill("SIGINT");
    expect(await until(() => !processAlive(run.standin) && !processAlive(run.supervisor), 5_000)).toBe(true);
    expect((await run.exit).code).toBe(0);
  });

  it("a child that ignores SIGTERM is killed after the grace period", async () => {
    const run = await serve("stubborn");
    leftovers.push(run.standin, run.supervisor);
    run.cli.kill("SIGTERM");
    expect(await until(() => !processAlive(run.standin) && !processAlive(run.supervisor), 9_000)).toBe(true);
    await run.exit;
  });

  it("exits non-zero when next-server dies without being asked to", async () => {
    const killed = await serve("polite");
    leftovers.push(killed.standin, killed.supervisor);
    process.kill(killed.standin, "SIGKILL");
    expect((await killed.exit).code).not.toBe(0);

    const quit = await serve("crash");
    leftovers.push(quit.standin, quit.supervisor);
    expect((await quit.exit).code).not.toBe(0);
  });
});
