import { CliUsageError, type CliCommand } from "../command";
import { VisemeError } from "@/core/visemes/errors";
import { MediaError } from "@/server/media/ffmpeg";
import { PortraitError } from "@/server/portrait/errors";
import type { LipsyncOptions } from "@/server/render/lipsync";

const USAGE = "tic-avatar lipsync --portrait IMG --audio AUDIO --out OUT.mp4 [--fps 25] [--size 512] [--no-rig-cache]";

function parse(argv: string[]): LipsyncOptions {
  const opts: Partial<LipsyncOptions> = { fps: 25, size: 512 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith("--") ? (a.split("=", 2) as [string, string | undefined]) : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new CliUsageError(`${flag} needs a value`);
      return v;
    };
    const int = (name: string, lo: number, hi: number) => {
      const v = value();
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < lo || n > hi) throw new CliUsageError(`${name} must be a whole number from ${lo} to ${hi}, got "${v}"`);
      return n;
    };
    if (flag === "--portrait") opts.portrait = value();
    else if (flag === "--audio") opts.audio = value();
    else if (flag === "--out") opts.out = value();
    else if (flag === "--no-rig-cache") opts.rigCache = false;
    else if (flag === "--fps") opts.fps = int("--fps", 1, 60);
    else if (flag === "--size") {
      opts.size = int("--size", 64, 2048);
      if (opts.size % 2 !== 0) throw new CliUsageError(`--size must be even (H.264 4:2:0), got ${opts.size}`);
    } else throw new CliUsageError(`unknown argument ${a}`);
  }
  for (const k of ["portrait", "audio", "out"] as const) if (!opts[k]) throw new CliUsageError(`--${k} is required`);
  return opts as LipsyncOptions;
}

const command: CliCommand = {
  name: "lipsync",
  summary: "Render a talking-head MP4 (H.264 + AAC) from a portrait and a speech file",
  usage: USAGE,
  run: async (argv) => {
    const opts = parse(argv);
    // Loaded here, not at the top: `tic-avatar --help` imports every command for its summary.
    const { renderLipsyncVideo } = await import("@/server/render/lipsync");
    try {
      const r = await renderLipsyncVideo(opts);
      for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
      process.stdout.write(`${JSON.stringify({ out: opts.out, frames: r.frames, seconds: r.seconds, fps: opts.fps, size: opts.size, timings: r.timings, prepare: r.prepare })}\n`);
      return 0;
    } catch (e) {
      if (e instanceof PortraitError || e instanceof MediaError || e instanceof VisemeError) {
        process.stderr.write(`tic-avatar lipsync: ${e.message} [${e.code}]\n`);
        return 1;
      }
      throw e;
    }
  },
};
export default command;
