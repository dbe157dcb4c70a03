import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";

// App instances for the multi-instance tests: each a real process serving the public API through the
// same dispatcher and route files as `tic-avatar serve`'s /api/v1 fast path (server/http/node-adapter.ts),
// so starting one takes a second or two instead of a `next build`. What they share is what
// production instances share: the database, Redis, and nothing in memory.

export type AppInstance = { url: string; log: () => string; stop: () => Promise<void> };

/** Starts an instance with `env` over the test's own; resolves once it listens. */
export async function startInstance(env: Record<string, string | undefined>): Promise<AppInstance> {
  const child: ChildProcess = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "server/http/bench/api-server-main.ts"], {
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "info", AUTH_SECRET: "instance-secret-0123456789", BENCH_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-200_000)));
  const port = await new Promise<number>((resolve, reject) => {
    let err = "";
    child.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /listening (\d+)/.exec(err);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`instance exited (${code}): ${err}\n${out}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

/** Runs the `tic-avatar` CLI with `env`; resolves with its exit code and output. */
export async function runCli(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; out: string }> {
  const child = spawn(process.execPath, ["bin/tic-avatar.mjs", ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, "exit")) as [number];
  return { code, out };
}
