import "server-only";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import type { Readable, Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { MediaError } from "@/server/media/ffmpeg";

export type Mp4WriterOptions = {
  /** The file written; optional only for a fragmented MP4 whose bytes go to `onData` alone (a live session). */
  out?: string;
  /** An audio file, or live PCM16 mono at `sampleRate` handed over with writeAudio (a live session). */
  audio: string | { pcm16: { sampleRate: number } };
  size: number;
  fps: number;
  /** Frames the caller will write (informational for live input: the caller decides when it ends). */
  frames: number;
  /** `i420` (default): raw frames (core/render/i420.ts); `jpeg`: the JPEG frames server rendering already makes. */
  frameFormat?: "i420" | "jpeg";
  /** The audio is AAC already: copy it bit for bit instead of re-encoding. */
  copyAudio?: boolean;
  /**
   * Fragmented MP4 (empty moov, then one moof+mdat per keyframe) written to `out` (when given) and
   * handed to `onData` as ffmpeg produces it, so a player (MediaSource, a streamed response) starts
   * before the render ends. `keyframeSeconds` is the fragment length (default 1 s). Without it the
   * file is progressive with the moov first.
   */
  fragmented?: { onData?: (chunk: Uint8Array) => void; keyframeSeconds?: number };
};

/**
 * Streams video frames (raw I420, no conversion in ffmpeg, or JPEG) into ffmpeg, which muxes them
 * as H.264 with the audio (a file, or live PCM on a second pipe) encoded to AAC beside them. The
 * audio is neither trimmed nor stretched: the caller writes round(duration * fps) frames.
 */
export class Mp4Writer {
  private readonly child: ChildProcess & { stdin: Writable; stdout: Readable; stderr: Readable };
  private readonly audioPipe: Writable | null;
  private readonly exited: Promise<[number | null]>;
  private stderr = "";
  private file: WriteStream | null = null;

  constructor(readonly opts: Mp4WriterOptions) {
    // No -frames:v: it would end the whole output at the last frame and cut the audio; the
    // caller writes exactly `frames` frames instead.
    const { size, fps, audio, out } = opts;
    const live = typeof audio !== "string";
    if (!opts.fragmented && !out) throw new Error("Mp4Writer: a progressive MP4 needs an output file");
    const video =
      opts.frameFormat === "jpeg"
        ? // Live frames: no probing ahead (by default ffmpeg reads seconds of input before it starts).
          ["-probesize", "32", "-analyzeduration", "0", "-f", "image2pipe", "-c:v", "mjpeg", "-framerate", String(fps), "-i", "pipe:0"]
        : ["-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", `${size}x${size}`, "-framerate", String(fps), "-i", "pipe:0"];
    const gop = String(Math.max(1, Math.round(fps * (opts.fragmented?.keyframeSeconds ?? 1))));
    // ultrafast + crf 20: x264 must keep up with the rasteriser on a shared 2-core machine; the
    // file is larger than with slower presets, the picture is not visibly worse.
    const args = [
      "-hide_banner", "-nostdin", "-y", "-v", "error",
      ...video,
      ...(live ? ["-f", "s16le", "-ar", String(audio.pcm16.sampleRate), "-ac", "1", "-i", "pipe:3"] : ["-i", audio]),
      "-map", "0:v:0", "-map", "1:a:0",
      "-c:v", "libx264", "-preset", "ultrafast", "-crf", "20", "-pix_fmt", "yuv420p",
      // Live input: no frame-thread delay, so a fragment leaves as soon as its frames are in.
      ...(live ? ["-tune", "zerolatency"] : []),
      ...(opts.copyAudio ? ["-c:a", "copy"] : ["-c:a", "aac", "-b:a", "160k"]),
      ...(opts.fragmented
        ? // One GOP per fragment: each is playable on its own, and the first leaves after one GOP of frames.
          // -flush_packets: each fragment leaves when it is complete, not when ffmpeg's 32 KiB output buffer fills.
          ["-g", gop, "-keyint_min", gop, "-sc_threshold", "0", "-movflags", "frag_keyframe+empty_moov+default_base_moof", "-flush_packets", "1", "-f", "mp4", "pipe:1"]
        : ["-movflags", "+faststart", out!]),
    ];
    this.child = spawn("ffmpeg", args, { stdio: ["pipe", "pipe", "pipe", ...(live ? (["pipe"] as const) : [])] }) as Mp4Writer["child"];
    this.audioPipe = live ? (this.child.stdio[3] as Writable) : null;
    this.audioPipe?.on("error", () => undefined);
    if (opts.fragmented) {
      const onData = opts.fragmented.onData;
      const file = out ? createWriteStream(out) : null;
      this.file = file;
      this.child.stdout.on("data", (b: Buffer) => {
        file?.write(b);
        onData?.(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
      });
      this.child.stdout.on("end", () => file?.end());
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

  /** Writes one frame (I420 bytes, or one JPEG); resolves once ffmpeg's pipe has taken it, so the caller may reuse the buffer. */
  write(frame: Uint8Array): Promise<void> {
    return writeTo(this.child.stdin, frame);
  }

  /** Writes live PCM16 (little-endian, as Int16Array holds it on every platform we run on). */
  writeAudio(pcm: Int16Array): Promise<void> {
    if (!this.audioPipe) throw new Error("Mp4Writer: writeAudio needs live audio ({pcm16})");
    return writeTo(this.audioPipe, new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  }

  /** Closes the input and waits for ffmpeg to finish the file. */
  async finish(): Promise<void> {
    this.child.stdin.end();
    this.audioPipe?.end();
    const [code] = await this.exited.catch((cause: unknown) => {
      const err = cause as NodeJS.ErrnoException;
      throw err.code === "ENOENT" ? new MediaError("ffmpeg_missing", "ffmpeg not found on PATH: run `npm run setup` or install Debian's ffmpeg", { cause }) : cause;
    });
    if (this.file) await finished(this.file);
    if (code !== 0) throw new MediaError("decode_failed", `ffmpeg failed to write ${this.opts.out ?? "the MP4"}: ${this.stderr.trim() || `exit ${code}`}`);
  }
}

function writeTo(pipe: Writable, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => pipe.write(bytes, (err) => (err ? reject(err) : resolve())));
}
