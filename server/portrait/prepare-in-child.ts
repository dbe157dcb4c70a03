import "server-only";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { BuildQueue, type BuildPriority } from "./build-queue";
import { PortraitError, type PortraitErrorCode } from "./errors";
import type { PrepareResult } from "./prepare";

const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_OUTPUT = 8 * 1024 * 1024;

// One build at a time per process, whoever asks (realtime prepare, the demo): the landmark model is
// CPU-bound, and parallel builds would only slow each other and the turns being streamed. Tenants'
// builds go before waiting demo builds.
const queue = new BuildQueue();

/**
 * Runs preparePortrait in a child Node process (prepare-child.ts). The face-landmark stack loads its
 * wasm build through dynamic requires that the Next.js bundler cannot follow, and a child keeps the
 * model's CPU spike and memory away from the web server. The app runs from the repository root
 * (`tic-avatar serve`), where the entry script and tsx live. A portrait the engine refuses rejects
 * with PortraitError; a crash, timeout or spawn failure with a plain Error.
 */
export function preparePortraitInChild(
  image: Uint8Array,
  options: { root?: string; timeoutMs?: number; priority?: BuildPriority } = {},
): Promise<PrepareResult> {
  return queue.run(options.priority ?? "tenant", () =>
    runJsonChild<PrepareResult, PortraitErrorCode>("server/portrait/prepare-child.ts", image, {
      root: options.root ?? process.cwd(),
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      refused: (code, message) => new PortraitError(code, message),
    }),
  );
}

/**
 * Runs a landmark-stack job in the build queue (one at a time per process, like portraits): the
 * source-video analysis shares the model's CPU with portrait builds and must not run beside them.
 */
export function inBuildQueue<T>(run: () => Promise<T>, priority: BuildPriority = "tenant"): Promise<T> {
  return queue.run(priority, run);
}

type ChildAnswer<R, C extends string> = ({ ok: true } & R) | { ok: false; code: C; message: string };

/**
 * Runs a child entry script (`script`, relative to `root`) that reads `input` on stdin and writes one
 * JSON line: `{ok: true, ...result}` or `{ok: false, code, message}` (rejected as `refused` builds it);
 * a crash, timeout or spawn failure rejects with a plain Error.
 */
export function runJsonChild<R, C extends string>(script: string, input: Uint8Array, opts: { root: string; timeoutMs: number; refused: (code: C, message: string) => Error }): Promise<R> {
  const { root, timeoutMs } = opts;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", join(root, script)], {
      cwd: root,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(root, "tsconfig.json") },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      if (out.length > MAX_OUTPUT) child.kill("SIGKILL");
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err = (err + d).slice(-4000)));
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`the landmark engine could not start: ${e.message}`, { cause: e }));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const parsed = parseLine<ChildAnswer<R, C>>(out.trim().split("\n").at(-1) ?? "");
      if (parsed?.ok === true) {
        const { ok: _ok, ...result } = parsed;
        return resolve(result as R);
      }
      if (parsed?.ok === false) return reject(opts.refused(parsed.code, parsed.message));
      const tail = err.trim().split("\n").slice(-3).join(" | ");
      reject(new Error(`the landmark engine failed (exit ${code ?? signal}): ${tail}`));
    });
    child.stdin.on("error", () => undefined); // the child may exit before reading everything
    child.stdin.end(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
  });
}

function parseLine<A>(line: string): A | null {
  try {
    return line ? (JSON.parse(line) as A) : null;
  } catch {
    return null; // a crash mid-write: reported from stderr instead
  }
}
