import "server-only";
import { spawn, type SpawnOptions } from "node:child_process";
import { constants } from "node:os";

/** How a child run by runChild ended; `stopRequested` when this process was asked to stop meanwhile. */
export type ChildOutcome = { code: number | null; signal: NodeJS.Signals | null; stopRequested: boolean };

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Runs a child to its end. A stop signal to this process is passed on to the child, and a child still
 * running `graceMs` later is killed: stopping the CLI never leaves its child (next-server, holding the
 * port and the database) behind. Signal handlers are installed only while the child runs.
 */
export function runChild(command: string, args: string[], options: SpawnOptions & { graceMs?: number } = {}): Promise<ChildOutcome> {
  const { graceMs = 5_000, ...spawnOptions } = options;
  const child = spawn(command, args, { stdio: "inherit", ...spawnOptions });
  let stopRequested = false;
  let killTimer: NodeJS.Timeout | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    child.kill(signal);
    if (stopRequested) return; // a terminal's Ctrl-C reaches the whole group too; one grace period
    stopRequested = true;
    killTimer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return new Promise((done, fail) => {
    const cleanup = () => {
      clearTimeout(killTimer);
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    };
    child.on("error", (error) => {
      cleanup();
      fail(error);
    });
    child.on("exit", (code, signal) => {
      cleanup();
      done({ code, signal, stopRequested });
    });
  });
}

/** The exit code for a child that should have run until stopped: 0 when stopped on request, else non-zero. */
export function serverExitCode(outcome: ChildOutcome): number {
  if (outcome.stopRequested) return 0;
  if (outcome.code) return outcome.code;
  return outcome.signal ? 128 + constants.signals[outcome.signal] : 1;
}

/** The exit code for a child that runs to completion (a build step). */
export function stepExitCode(outcome: ChildOutcome): number {
  return outcome.code ?? 128 + constants.signals[outcome.signal ?? "SIGTERM"];
}
