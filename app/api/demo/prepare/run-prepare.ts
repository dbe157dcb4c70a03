import "server-only";
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { PrepareResult } from "@/server/portrait/prepare";
import { DemoError } from "./demo-error";

const TIMEOUT_MS = 60_000;
const MAX_OUTPUT = 4 * 1024 * 1024;

/**
 * Runs preparePortrait in a child Node process. The face-landmark stack loads its wasm build
 * through dynamic requires that the Next.js bundler cannot follow; a child also keeps a crash or
 * a CPU spike of the model away from the web server. The app runs from the repository root
 * (`tic-avatar serve`), where the entry script and tsx live.
 */
export function runPrepare(image: Uint8Array, root = process.cwd()): Promise<PrepareResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", join(root, "app/api/demo/prepare/prepare-child.ts")], {
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
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split("\n").at(-1) ?? "";
      type ChildReply = ({ ok: true } & PrepareResult) | { ok: false; code: string; message: string };
      let parsed: ChildReply | null;
      try {
        parsed = line ? (JSON.parse(line) as ChildReply) : null;
      } catch {
        parsed = null;
      }
      if (parsed?.ok === true) {
        const { ok: _ok, ...result } = parsed;
        return resolve(result);
      }
      if (parsed?.ok === false) return reject(new DemoError(422, parsed.code, parsed.message));
      reject(new Error(`prepare child failed (exit ${code ?? signal}): ${err.trim().split("\n").slice(-3).join(" | ")}`));
    });
    child.stdin.on("error", () => undefined); // the child may exit before reading everything
    child.stdin.end(Buffer.from(image.buffer, image.byteOffset, image.byteLength));
  });
}
