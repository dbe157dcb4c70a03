import { CliUsageError, type CliCommand } from "../command";
import { parseCliArgs, wholeNumber } from "../parse-args";
import { CodedError } from "@/core/coded-error";
import { EMOTIONS } from "@/core/render/expression";
import type { LipsyncOptions } from "@/server/render/lipsync";

const USAGE = "tic-avatar lipsync --portrait IMG --audio AUDIO --out OUT.mp4 [--fps 25] [--size 512] [--emotion neutral] [--no-rig-cache]";

function parse(argv: string[]): LipsyncOptions {
  const { values } = parseCliArgs({
    args: argv,
    options: {
      portrait: { type: "string" },
      audio: { type: "string" },
      out: { type: "string" },
      fps: { type: "string", default: "25" },
      size: { type: "string", default: "512" },
      emotion: { type: "string", default: "neutral" },
      "no-rig-cache": { type: "boolean", default: false },
    },
  });
  for (const k of ["portrait", "audio", "out"] as const) if (!values[k]) throw new CliUsageError(`--${k} is required`);
  const size = wholeNumber("--size", values.size, 64, 2048);
  if (size % 2 !== 0) throw new CliUsageError(`--size must be even (H.264 4:2:0), got ${size}`);
  const emotion = values.emotion!.trim().toLowerCase();
  if (!(EMOTIONS as readonly string[]).includes(emotion)) throw new CliUsageError(`--emotion must be one of ${EMOTIONS.join(", ")}, got ${values.emotion}`);
  return {
    emotion,
    portrait: values.portrait!,
    audio: values.audio!,
    out: values.out!,
    fps: wholeNumber("--fps", values.fps, 1, 60),
    size,
    ...(values["no-rig-cache"] ? { rigCache: false } : {}),
  };
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
      // Every module-level failure (portrait, rig, media, viseme model) is coded: a message, no stack.
      if (e instanceof CodedError) {
        process.stderr.write(`tic-avatar lipsync: ${e.message} [${e.code}]\n`);
        return 1;
      }
      throw e;
    }
  },
};
export default command;
