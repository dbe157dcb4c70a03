import { CliUsageError, type CliCommand } from "../command";
import { parseCliArgs, wholeNumber } from "../parse-args";
import { toFpsTrack, toRhubarb, toTsv } from "@/core/visemes/formats";
import { VisemeError } from "@/core/visemes/errors";
import { MediaError } from "@/server/media/ffmpeg";
import { analyzeAudioFile } from "@/server/visemes/analyze-file";

const USAGE = "tic-avatar visemes FILE [--format json|tsv|rhubarb] [--fps N]";
const FORMATS = ["json", "tsv", "rhubarb"] as const;
type Format = (typeof FORMATS)[number];

export type Io = { out: (s: string) => void; err: (s: string) => void };

function parse(argv: string[]): { file: string; format: Format; fps: number } {
  const { values, positionals } = parseCliArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: "string", default: "json" }, fps: { type: "string", default: "100" } },
  });
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new CliUsageError(`--format must be one of ${FORMATS.join(", ")}, got "${values.format}"`);
  if (positionals.length === 0) throw new CliUsageError("FILE is required");
  if (positionals.length > 1) throw new CliUsageError(`one FILE only, got "${positionals[0]}" and "${positionals[1]}"`);
  return { file: positionals[0]!, format, fps: wholeNumber("--fps", values.fps, 1, 1000) };
}

/** The command with its output streams injected (tests pass collectors). */
export async function runVisemes(argv: string[], io: Io): Promise<number> {
  const { file, format, fps } = parse(argv);
  try {
    const r = await analyzeAudioFile(file);
    if (r.nonFiniteSamples > 0) io.err(`warning: ${r.nonFiniteSamples} NaN/infinite samples were treated as silence\n`);
    for (const w of r.warnings) io.err(`warning (ffmpeg): ${w}\n`);
    if (format === "rhubarb") io.out(JSON.stringify(toRhubarb(r.frames, r.seconds, file), null, 2) + "\n");
    else {
      const track = toFpsTrack(r.frames, r.seconds, fps);
      io.out(format === "json" ? JSON.stringify(track) + "\n" : toTsv(track));
    }
    return 0;
  } catch (e) {
    if (e instanceof MediaError || e instanceof VisemeError) {
      io.err(`tic-avatar visemes: ${e.message} [${e.code}]\n`);
      return 1;
    }
    throw e;
  }
}

const command: CliCommand = {
  name: "visemes",
  summary: "Print the viseme track of an audio file (json, tsv or Rhubarb JSON)",
  usage: USAGE,
  run: (argv) =>
    runVisemes(argv, { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s) }),
};
export default command;
