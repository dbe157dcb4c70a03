import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

// Test and bench support: `tic-avatar worker` as its own process (main.ts under tsx directly, not
// through bin/tic-avatar.mjs, so that a SIGKILL reaches the worker itself), in its own process group
// so that killing the group also kills the portrait child it may be running.

const ROOT = join(import.meta.dirname, "../../..");

export type WorkerProcess = { child: ChildProcess; output: () => string; kill: (signal?: NodeJS.Signals) => Promise<void> };

/** Starts a worker with `env` (plus PATH); resolves once it has printed that it runs. */
export async function startWorkerProcess(env: Record<string, string>, args: string[] = []): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", join(ROOT, "server/cli/main.ts"), "worker", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", TSX_TSCONFIG_PATH: join(ROOT, "tsconfig.json"), LOG_LEVEL: "warn", ...env } as Record<string, string> as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in 60 s:\n${out}`)), 60_000);
    const check = () => {
      if (out.includes("tic-avatar worker:")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code ?? signal}) before it started:\n${out}`));
    });
  });
  return {
    child,
    output: () => out,
    async kill(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(signal === "SIGKILL" ? -child.pid! : child.pid!, signal);
      } catch {
        return; // already gone
      }
      await exited;
    },
  };
}
