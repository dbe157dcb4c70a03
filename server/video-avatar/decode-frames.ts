import "server-only";
import { spawn } from "node:child_process";
import { MediaError } from "@/server/media/ffmpeg";

/**
 * Decodes a video to raw RGB frames at `fps` and `width`x`height` (ffmpeg, auto-rotated), one frame
 * at a time: the caller works on each before the next is read, so memory stays one frame whatever
 * the clip's length, and ffmpeg stops after `maxFrames`. `vf` adds filters after the scale, `out` is then the frame size.
 */
export async function* decodeFrames(path: string, opts: { fps: number; width: number; height: number; maxFrames: number; maxSeconds: number; vf?: string; out?: { width: number; height: number }; timeoutMs?: number }): AsyncGenerator<Uint8Array> {
  const filters = [`fps=${opts.fps}`, `scale=${opts.width}:${opts.height}:flags=area`, opts.vf].filter(Boolean).join(",");
  const frameBytes = (opts.out?.width ?? opts.width) * (opts.out?.height ?? opts.height) * 3;
  const child = spawn("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-t", String(opts.maxSeconds), "-i", path, "-vf", filters, "-frames:v", String(opts.maxFrames), "-an", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (b: Buffer) => {
    if (stderr.length < 8000) stderr += b.toString();
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on("error", (e: NodeJS.ErrnoException) => reject(e.code === "ENOENT" ? new MediaError("ffmpeg_missing", "ffmpeg not found on PATH: run `npm run setup`", { cause: e }) : e));
    child.on("close", (code) => resolve(code));
  });
  exited.catch(() => undefined);
  const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 300_000);
  try {
    let pending: Buffer = Buffer.alloc(0);
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= frameBytes) {
        // A copy: the generator's consumer may keep the frame while the next arrives.
        yield new Uint8Array(pending.subarray(0, frameBytes));
        pending = pending.subarray(frameBytes);
      }
    }
    const code = await exited;
    if (code !== 0) throw new MediaError("decode_failed", `ffmpeg could not decode the video (exit ${code}): ${stderr.trim().split("\n").slice(-2).join(" | ")}`);
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}
