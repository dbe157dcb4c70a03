import { CliUsageError, type CliCommand } from "../command";
import { toFpsTrack, toRhubarb, toTsv } from "@/core/visemes/formats";
import { VisemeError } from "@/core/visemes/errors";
import { MediaError } from "@/server/media/ffmpeg";
import { analyzeAudioFile } from "@/server/visemes/analyze-file";

const USAGE = "tic-avatar visemes FILE [--format json|tsv|rhubarb] [--fps N]";
const FORMATS = ["json", "tsv", "rhubarb"] as const;
type Format = (typeof FORMATS)[number];

export type Io = { out: (s: string) => void; err: (s: string) => void };

function parse(argv: string[]): { file: string; format: Format; fps: number } {
  let file: string | undefined;
  let format: Format = "json";
  let fps = 100;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith("--") ? (a.split("=", 2) as [string, string | undefined]) : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new CliUsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === "--format") {
      const v = value();
      if (!FORMATS.includes(v as Format)) throw new CliUsageError(`--format must be one of ${FORMATS.join(", ")}, got "${v}"`);
      format = v as Format;
    } else if (flag === "--fps") {
      const v = value();
      fps = Number(v);
      if (!/^\d+$/.test(v) || fps < 1 || fps > 1000) throw new CliUsageError(`--fps must be a whole number from 1 to 1000, got "${v}"`);
    } else if (a.startsWith("-") && a !== "-") {
      throw new CliUsageError(`unknown option ${a}`);
    } else if (file === undefined) {
      file = a;
    } else {
      throw new CliUsageError(`one FILE only, got "${file}" and "${a}"`);
    }
  }
  if (!file) throw new CliUsageError("FILE is required");
  return { file, format, fps };
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
