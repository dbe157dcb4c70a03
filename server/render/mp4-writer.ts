import "server-only";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { MediaError } from "@/server/media/ffmpeg";

export type Mp4WriterOptions = {
  out: string;
  audio: string;
  size: number;
  fps: number;
  frames: number;
  /** The audio is AAC already: copy it bit for bit instead of re-encoding. */
  copyAudio?: boolean;
  /**
   * Fragmented MP4 (empty moov, then one moof+mdat per keyframe, a keyframe every second) written to
   * `out` and handed to `onData` as ffmpeg produces it, so a player (MediaSource, a streamed
   * response) starts before the render ends. Without it the file is progressive with the moov first.
   */
  fragmented?: { onData?: (chunk: Uint8Array) => void };
};

/**
 * Streams raw I420 frames (core/render/i420.ts: 0.375 of RGBA's bytes, no conversion in ffmpeg) into ffmpeg, which muxes them as H.264 with the audio file encoded
 * to AAC beside them. The audio is neither trimmed nor stretched: the video has exactly
 * `frames` frames, chosen by the caller as round(duration * fps).
 */
export class Mp4Writer {
  private readonly child;
  private readonly exited: Promise<[number | null]>;
  private stderr = "";
  private file: WriteStream | null = null;

  constructor(readonly opts: Mp4WriterOptions) {
    // No -frames:v: it would end the whole output at the last frame and cut the audio; the
    // caller writes exactly `frames` frames instead.
    const { size, fps, audio, out } = opts;
    // ultrafast + crf 20: x264 must keep up with the rasteriser on a shared 2-core machine; the
    // file is larger than with slower presets, the picture is not visibly worse.
    const args = [
      "-hide_banner", "-nostdin", "-y", "-v", "error",
      "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", `${size}x${size}`, "-framerate", String(fps), "-i", "pipe:0",
      "-i", audio,
      "-map", "0:v:0", "-map", "1:a:0",
      "-c:v", "libx264", "-preset", "ultrafast", "-crf", "20", "-pix_fmt", "yuv420p",
      ...(opts.copyAudio ? ["-c:a", "copy"] : ["-c:a", "aac", "-b:a", "160k"]),
      ...(opts.fragmented
        ? // One GOP per second: each fragment is playable on its own, and the first leaves after one second of frames.
          ["-g", String(fps), "-keyint_min", String(fps), "-sc_threshold", "0", "-movflags", "frag_keyframe+empty_moov+default_base_moof", "-f", "mp4", "pipe:1"]
        : ["-movflags", "+faststart", out]),
    ];
    this.child = spawn("ffmpeg", args, { stdio: ["pipe", "pipe", "pipe"] });
    if (opts.fragmented) {
      const onData = opts.fragmented.onData;
      const file = createWriteStream(out);
      this.file = file;
      this.child.stdout.on("data", (b: Buffer) => {
        file.write(b);
        onData?.(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
      });
      this.child.stdout.on("end", () => file.end());
    } else {
      this.child.stdout.resume(); // the file is the output; nothing comes here
    }
    this.child.stderr.on("data", (b: Buffer) => {
      if (this.stderr.length < 16_000) this.stderr += b.toString();
    });
    this.exited = once(this.child, "exit") as Promise<[number | null]>;
    this.exited.catch(() => undefined);
    this.child.stdin.on("error", () => undefined);
  }

  /** Writes one I420 frame; resolves once ffmpeg's pipe has taken it, so the caller may reuse the buffer. */
  write(i420: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.child.stdin.write(i420, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Closes the input and waits for ffmpeg to finish the file. */
  async finish(): Promise<void> {
    this.child.stdin.end();
    const [code] = await this.exited.catch((cause: unknown) => {
      const err = cause as NodeJS.ErrnoException;
      throw err.code === "ENOENT" ? new MediaError("ffmpeg_missing", "ffmpeg not found on PATH: run `npm run setup` or install Debian's ffmpeg", { cause }) : cause;
    });
    if (this.file) await finished(this.file);
    if (code !== 0) throw new MediaError("decode_failed", `ffmpeg failed to write ${this.opts.out}: ${this.stderr.trim() || `exit ${code}`}`);
  }
}
