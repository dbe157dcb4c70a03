import "server-only";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { AppError } from "@/server/errors";
import { sttAborted, sttFailed } from "./errors";

// The embedded recogniser's processes: a few long-lived pocketsphinx-driver.py processes (one per
// core by default), each decoding many utterances at once, fed audio as it arrives. An utterance is
// given to the process with the fewest open ones. A process that dies fails only its own open
// utterances (`stt_failed`, retryable) and is started again at once; a process that cannot start at
// all (no python3-pocketsphinx) is tried again on the next utterance, so a fixed install is picked up.

export type PocketsphinxConfig = {
  /** The Python that has Debian's python3-pocketsphinx (the system one: /usr/bin/python3). */
  python: string;
  /** pocketsphinx-driver.py */
  driver: string;
  /** Acoustic model folder, language model and dictionary (Debian's pocketsphinx-en-us). */
  hmm: string;
  lm: string;
  dict: string;
  processes: number;
  /** Longest wait for a final result before the process is taken as hung and restarted. */
  finishTimeoutMs: number;
};

export type EngineFinal = { text: string; audioMs: number; endMs: number };

export interface EngineUtterance {
  /** PCM16 mono at 16 kHz. */
  push(pcm: Int16Array): void;
  finish(): Promise<EngineFinal>;
  abort(): void;
}

export interface PocketsphinxEngine {
  open(onPartial?: (text: string) => void): EngineUtterance;
  /** Process ids now running (tests kill one to see the restart). */
  pids(): number[];
  /** How many times a process that had been running was started again. */
  readonly restarts: number;
  close(): Promise<void>;
}

const MISSING =
  "The embedded speech recogniser needs Debian's pocketsphinx, pocketsphinx-en-us and python3-pocketsphinx, which are not installed on this server: run `npm run setup`.";

type Waiter = { onPartial?: (text: string) => void; resolve: (final: EngineFinal) => void; reject: (error: AppError) => void };
type Line = { type: string; id?: number; text?: string; audioMs?: number; endMs?: number; message?: string };

class DriverProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly waiters = new Map<number, Waiter>();
  ready = false;
  exited = false;
  private stderr = "";
  private out = "";

  constructor(
    config: PocketsphinxConfig,
    private readonly onExit: (proc: DriverProcess, why: string) => void,
  ) {
    this.child = spawn(config.python, [config.driver, "--hmm", config.hmm, "--lm", config.lm, "--dict", config.dict], { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout.setEncoding("utf8").on("data", (s: string) => this.read(s));
    this.child.stderr.setEncoding("utf8").on("data", (s: string) => (this.stderr = (this.stderr + s).slice(-2000)));
    // A write to a process that just died fails with EPIPE; its exit reports the failure.
    this.child.stdin.on("error", () => undefined);
    this.child.on("error", (error: NodeJS.ErrnoException) => {
      const missing = error.code === "ENOENT" || error.code === "EACCES";
      this.exit(missing ? MISSING : `could not start ${config.python}: ${error.message}`);
    });
    this.child.on("exit", (code, signal) => {
      const detail = this.stderr.trim().split("\n").slice(-3).join(" ");
      const missingModule = /No module named|pocketsphinx/.test(detail) && !this.ready;
      this.exit(missingModule ? `${MISSING} (${detail.slice(0, 200)})` : `it stopped (${signal ?? `exit ${code}`})${detail ? `: ${detail.slice(0, 300)}` : ""}`);
    });
  }

  send(kind: "S" | "A" | "E" | "X", id: number, payload?: Int16Array) {
    if (this.exited) return;
    const bytes = payload ? Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength) : Buffer.alloc(0);
    const head = Buffer.alloc(9);
    head.write(kind, 0, "latin1");
    head.writeUInt32LE(id, 1);
    head.writeUInt32LE(bytes.length, 5);
    this.child.stdin.write(bytes.length ? Buffer.concat([head, bytes]) : head);
  }

  kill() {
    if (!this.exited) this.child.kill("SIGKILL");
  }

  private read(s: string) {
    this.out += s;
    let nl: number;
    while ((nl = this.out.indexOf("\n")) >= 0) {
      const raw = this.out.slice(0, nl);
      this.out = this.out.slice(nl + 1);
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue; // not ours (a library printing to stdout): the protocol lines are JSON
      }
      if (line.type === "ready") {
        this.ready = true;
        continue;
      }
      const waiter = line.id === undefined ? undefined : this.waiters.get(line.id);
      if (!waiter) continue;
      if (line.type === "partial" && line.text) waiter.onPartial?.(line.text);
      else if (line.type === "final") {
        this.waiters.delete(line.id!);
        waiter.resolve({ text: line.text ?? "", audioMs: line.audioMs ?? 0, endMs: line.endMs ?? 0 });
      } else if (line.type === "error") {
        this.waiters.delete(line.id!);
        waiter.reject(sttFailed(`The speech recogniser refused an utterance: ${line.message ?? "no message"}`));
      }
    }
  }

  private exit(why: string) {
    if (this.exited) return;
    this.exited = true;
    this.onExit(this, why);
  }
}

/** Starts the engine's processes (they load their models in the background). */
export function startPocketsphinxEngine(config: PocketsphinxConfig): PocketsphinxEngine {
  const slots: (DriverProcess | null)[] = Array.from({ length: Math.max(1, config.processes) }, () => null);
  let closed = false;
  let restarts = 0;
  let nextId = 1;

  const onExit = (proc: DriverProcess, why: string) => {
    const everReady = proc.ready;
    const message = everReady ? `The speech recogniser ${why}; it is being restarted and this utterance was lost.` : why.startsWith("The embedded") ? why : `The speech recogniser could not start: ${why}`;
    const error = everReady ? sttFailed(message) : new AppError("unavailable", message, { retryable: false });
    for (const waiter of proc.waiters.values()) waiter.reject(error);
    proc.waiters.clear();
    const slot = slots.indexOf(proc);
    if (slot < 0) return;
    slots[slot] = null;
    // Only a process that had worked is restarted now; one that never started waits for the next utterance.
    if (everReady && !closed) {
      restarts++;
      slots[slot] = new DriverProcess(config, onExit);
    }
  };

  const pick = (): DriverProcess => {
    let best = -1;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i];
      if (!s || s.exited) {
        slots[i] = new DriverProcess(config, onExit);
        return slots[i]!;
      }
      if (best < 0 || s.waiters.size < slots[best]!.waiters.size) best = i;
    }
    return slots[best]!;
  };

  return {
    open(onPartial) {
      if (closed) throw new AppError("unavailable", "The speech recogniser is shut down.", { retryable: false });
      const proc = pick();
      const id = nextId;
      nextId = nextId >= 0xffffffff ? 1 : nextId + 1;
      let failure: AppError | null = null;
      let final: EngineFinal | null = null;
      let settle: { resolve: (f: EngineFinal) => void; reject: (e: AppError) => void } | null = null;
      let state: "open" | "finishing" | "done" = "open";
      const waiter: Waiter = {
        onPartial: (text) => state === "open" && onPartial?.(text),
        resolve: (f) => (settle ? settle.resolve(f) : (final = f)),
        reject: (e) => (settle ? settle.reject(e) : (failure = e)),
      };
      proc.waiters.set(id, waiter);
      proc.send("S", id);
      return {
        push(pcm) {
          if (state !== "open" || failure || pcm.length === 0) return;
          proc.send("A", id, pcm);
        },
        finish() {
          if (state !== "open") return Promise.reject(new Error("finish() called twice on one utterance"));
          state = "finishing";
          if (failure) return Promise.reject(failure);
          if (final) return Promise.resolve(final);
          return new Promise<EngineFinal>((resolve, reject) => {
            const timer = setTimeout(() => {
              proc.waiters.delete(id);
              reject(sttFailed(`The speech recogniser gave no result within ${config.finishTimeoutMs} ms; it is being restarted.`));
              proc.kill();
            }, config.finishTimeoutMs);
            settle = {
              resolve: (f) => {
                clearTimeout(timer);
                state = "done";
                resolve(f);
              },
              reject: (e) => {
                clearTimeout(timer);
                state = "done";
                reject(e);
              },
            };
            proc.send("E", id);
          });
        },
        abort() {
          if (state === "done") return;
          // A finish() still waiting must not wait forever: it learns the utterance was dropped.
          const waiting = state === "finishing" ? settle : null;
          state = "done";
          proc.waiters.delete(id);
          proc.send("X", id);
          waiting?.reject(sttAborted());
        },
      };
    },
    pids: () => slots.flatMap((s) => (s && !s.exited && s.child.pid ? [s.child.pid] : [])),
    get restarts() {
      return restarts;
    },
    async close() {
      closed = true;
      const running = slots.filter((s): s is DriverProcess => !!s && !s.exited);
      await Promise.all(
        running.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.child.once("exit", () => resolve());
              s.child.stdin.end();
              // A driver that does not leave on end of input within a second is made to.
              setTimeout(() => s.kill(), 1000).unref();
            }),
        ),
      );
    },
  };
}
