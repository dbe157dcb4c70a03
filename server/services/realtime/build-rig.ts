import "server-only";
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { PrepareResult } from "@/server/portrait/prepare";
import { AppError } from "@/server/errors";

const TIMEOUT_MS = 120_000;
const MAX_OUTPUT = 8 * 1024 * 1024;

/** A portrait the engine cannot animate (face_not_found, face_too_small, face_cut_off, image_unreadable). */
export class RigRejected extends AppError {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super("invalid_input", message, { field: "sourceAssetId", retryable: false });
  }
}

// One build at a time per process: the landmark model is CPU-bound, and parallel builds would only
// slow each other and the turns being streamed.
let queue: Promise<unknown> = Promise.resolve();

/** Builds a rig from portrait bytes in a child Node process (see rig-child.ts for why a child). */
export function buildRigInChild(image: Uint8Array, root = process.cwd()): Promise<PrepareResult> {
  const run = queue.then(() => spawnChild(image, root));
  queue = run.catch(() => undefined);
  return run;
}

function spawnChild(image: Uint8Array, root: string): Promise<PrepareResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", join(root, "server/services/realtime/rig-child.ts")], {
      cwd: root,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(root, "tsconfig.json") },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      if (out.length > MAX_OUTPUT) child.kill("SIGKILL");
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err = (err + d).slice(-4000)));
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new AppError("unavailable", `The portrait engine could not start: ${e.message}`, { cause: e, retryable: true }));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split("\n").at(-1) ?? "";
      const parsed = parseLine(line);
      if (parsed?.ok === true) {
        const { ok: _ok, ...result } = parsed;
        return resolve(result);
      }
      if (parsed?.ok === false) return reject(new RigRejected(parsed.code, parsed.message));
      const tail = err.trim().split("\n").slice(-3).join(" | ");
      reject(new AppError("unavailable", `The portrait engine failed (exit ${code ?? signal}); retry later. ${tail}`.trim(), { retryable: true }));
    });
    child.stdin.on("error", () => undefined); // the child may exit before reading everything
    child.stdin.end(Buffer.from(image.buffer, image.byteOffset, image.byteLength));
  });
}

type ChildAnswer = ({ ok: true } & PrepareResult) | { ok: false; code: string; message: string };

function parseLine(line: string): ChildAnswer | null {
  try {
    return line ? (JSON.parse(line) as ChildAnswer) : null;
  } catch {
    return null; // a crash mid-write: reported from stderr instead
  }
}
