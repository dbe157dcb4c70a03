import "server-only";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CodedError } from "@/core/coded-error";
import { sniffMedia } from "@/core/media/sniff";
import type { Db } from "../../db/client";
import { preparePortrait } from "../../portrait/prepare";
import { listPresets, savePreset } from "../../services/videos/presets";
import { CliUsageError } from "../command";
import { parseCliArgs } from "../parse-args";

// tic-avatar admin add-preset --name NAME --image FILE [--display-name D]
// tic-avatar admin list-presets
// A platform preset avatar every workspace may use by name in POST /api/v1/videos (`avatar`): the
// portrait is prepared here (face landmarks → rig), so a face the engine cannot animate is refused now.

export async function addPresetCmd(db: Db, argv: string[]): Promise<number> {
  const { values } = parseCliArgs({ args: argv, options: { name: { type: "string" }, image: { type: "string" }, "display-name": { type: "string" } } });
  if (!values.name) throw new CliUsageError("--name is required (2–40 lower-case letters, digits or _).");
  if (!values.image) throw new CliUsageError("--image is required (a PNG, JPEG or WebP portrait you have the rights to).");
  const image = new Uint8Array(await readFile(values.image).catch(() => { throw new CliUsageError(`--image: cannot read ${values.image}`); }));
  const sniffed = sniffMedia(image.subarray(0, 4096));
  if (!sniffed.ok || sniffed.kind !== "image") throw new CliUsageError(`--image: ${values.image} is not a PNG, JPEG or WebP image.`);
  try {
    const prepared = await preparePortrait(image);
    for (const w of prepared.warnings) process.stderr.write(`warning: ${w.message}\n`);
    const dir = await mkdtemp(join(tmpdir(), "tic-preset-"));
    try {
      const copy = join(dir, `portrait.${sniffed.extension}`); // storage consumes the file it is given
      await writeFile(copy, image);
      const preset = await savePreset(db, { name: values.name, displayName: values["display-name"] ?? values.name.replace(/_/g, " "), imagePath: copy, image, contentType: sniffed.contentType, ext: sniffed.extension, rig: prepared.rig });
      process.stdout.write(`${JSON.stringify(preset)}\n`);
      return 0;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  } catch (e) {
    // No face, an unusable portrait, a taken name: coded, said plainly.
    if (e instanceof CodedError) {
      process.stderr.write(`tic-avatar admin add-preset: ${e.message} [${e.code}]\n`);
      return 1;
    }
    throw e;
  }
}

export async function listPresetsCmd(db: Db): Promise<number> {
  for (const p of await listPresets(db)) process.stdout.write(`${JSON.stringify(p)}\n`);
  return 0;
}
