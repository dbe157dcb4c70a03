import "server-only";
import { spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import { CodedError } from "@/core/coded-error";

/** Stable codes for media tool failures (CLI, services and render share them). */
export type MediaErrorCode = "ffmpeg_missing" | "empty_input" | "not_audio" | "decode_failed" | "timeout" | "too_long";

export class MediaError extends CodedError<MediaErrorCode> {
  override name = "MediaError";
}

const MISSING_HINT = "ffmpeg/ffprobe not found on PATH: run `npm run setup` (installs Debian's ffmpeg) or install ffmpeg";

export type RunResult = { stdout: Buffer; stderr: string; code: number };

/**
 * Runs ffmpeg or ffprobe with `args`, optional stdin bytes and a hard timeout.
 * Resolves with the exit code (non-zero is not thrown: callers decide).
 */
export function runTool(
  tool: "ffmpeg" | "ffprobe",
  args: string[],
  opts: { input?: Uint8Array; timeoutMs?: number; maxOutputBytes?: number } = {},
): Promise<RunResult> {
  const { input, timeoutMs = 120_000, maxOutputBytes = 2 ** 31 - 1 } = opts;
  return new Promise((resolve, reject) => {
    const child = spawn(tool, ["-hide_banner", ...args], { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = "";
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish(() => reject(new MediaError("timeout", `${tool} took longer than ${timeoutMs} ms`)));
    }, timeoutMs);
    child.on("error", (err: NodeJS.ErrnoException) =>
      finish(() =>
        reject(err.code === "ENOENT" ? new MediaError("ffmpeg_missing", MISSING_HINT, { cause: err }) : err),
      ),
    );
    child.stdout.on("data", (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > maxOutputBytes) {
        child.kill("SIGKILL");
        finish(() => reject(new MediaError("too_long", `${tool} output exceeds ${maxOutputBytes} bytes`)));
        return;
      }
      out.push(b);
    });
    child.stderr.on("data", (b: Buffer) => {
      if (stderr.length < 64_000) stderr += b.toString();
    });
    child.on("close", (code) => finish(() => resolve({ stdout: Buffer.concat(out), stderr, code: code ?? 1 })));
    // ffmpeg may exit before reading all stdin (bad input): ignore EPIPE
    child.stdin.on("error", () => undefined);
    if (input) child.stdin.end(input);
    else child.stdin.end();
  });
}

export type AudioProbe = { sampleRate: number; channels: number; seconds: number | null; codec: string; format: string };

/** Reads the first audio stream's parameters; `not_audio` when the file has none. */
export async function probeAudio(path: string, timeoutMs = 30_000): Promise<AudioProbe> {
  const r = await runTool(
    "ffprobe",
    ["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=sample_rate,channels,codec_name,duration:format=format_name,duration", "-of", "json", path],
    { timeoutMs },
  );
  let parsed: { streams?: { sample_rate?: string; channels?: number; codec_name?: string; duration?: string }[]; format?: { format_name?: string; duration?: string } } = {};
  try {
    parsed = JSON.parse(r.stdout.toString() || "{}");
  } catch {
    // fall through to not_audio
  }
  const s = parsed.streams?.[0];
  const rate = Number(s?.sample_rate);
  if (r.code !== 0 || !s || !Number.isFinite(rate) || rate <= 0) {
    const why = r.stderr.trim().split("\n").pop() || "no audio stream";
    throw new MediaError("not_audio", `not a readable audio file: ${why}`);
  }
  const dur = Number(s.duration ?? parsed.format?.duration);
  return {
    sampleRate: rate,
    channels: s.channels ?? 1,
    seconds: Number.isFinite(dur) ? dur : null,
    codec: s.codec_name ?? "unknown",
    format: parsed.format?.format_name ?? "unknown",
  };
}

export type DecodedAudio = { samples: Float32Array; sampleRate: number; warnings: string[] };

/**
 * Decodes the first audio stream to mono float32 PCM. Keeps the file's own
 * sample rate unless `sampleRate` is given (callers that resample themselves
 * keep NaN handling and resampling in one place). Truncated files decode as
 * far as they are readable; ffmpeg's complaints come back as `warnings`.
 */
export async function decodeAudio(
  path: string,
  opts: { sampleRate?: number; maxSeconds?: number; timeoutMs?: number } = {},
): Promise<DecodedAudio> {
  const { maxSeconds = 3 * 3600, timeoutMs = 300_000 } = opts;
  const info = await stat(path).catch((cause: unknown) => {
    throw new MediaError("not_audio", `cannot read ${path}: ${(cause as Error).message}`, { cause });
  });
  if (!info.isFile() || info.size === 0) throw new MediaError("empty_input", `${path} is empty or not a file`);
  const probe = await probeAudio(path);
  const rate = opts.sampleRate ?? probe.sampleRate;
  const args = ["-nostdin", "-v", "error", "-i", path, "-map", "0:a:0", "-vn", "-ac", "1", "-ar", String(rate), "-f", "f32le", "pipe:1"];
  const r = await runTool("ffmpeg", args, { timeoutMs, maxOutputBytes: Math.ceil(maxSeconds * rate) * 4 + 4096 });
  const warnings = r.stderr.trim() ? r.stderr.trim().split("\n").slice(-5) : [];
  if (r.code !== 0 && r.stdout.length === 0) {
    throw new MediaError("decode_failed", `ffmpeg could not decode ${path}: ${warnings.join(" | ") || `exit ${r.code}`}`);
  }
  const bytes = r.stdout.length - (r.stdout.length % 4);
  const samples = new Float32Array(bytes / 4);
  new Uint8Array(samples.buffer).set(r.stdout.subarray(0, bytes));
  return { samples, sampleRate: rate, warnings };
}
