import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

// Test support: the real `tic-avatar` entry point (bin/tic-avatar.mjs) in a child process, as a user
// runs it, with an environment that starts from nothing but PATH so no test setting leaks in.

const ROOT = join(import.meta.dirname, "../../..");
export const CLI_BIN = join(ROOT, "bin/tic-avatar.mjs");

export type CliRun = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** Starts `node bin/tic-avatar.mjs ...args`; the caller owns the child. */
export function startCli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): ChildProcess {
  return spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", ...options.env } as Record<string, string> as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Collects a started CLI's output until it exits. */
export function finished(child: ChildProcess): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((done, fail) => {
    child.on("error", fail);
    child.on("close", (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/** Runs the CLI to completion. */
export function runCli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliRun> {
  return finished(startCli(args, options));
}
