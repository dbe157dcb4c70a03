import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RIG_VERSION, type Rig } from "@/core/render/rig";

// `tic-avatar lipsync` as a user runs it, on portraits that used to end in a stack trace.
const root = new URL("../../../", import.meta.url).pathname;
const portrait = join(root, "public/demo/astronaut.png");
const dir = mkdtempSync(join(tmpdir(), "lipsync-portraits-"));
const cacheDir = join(dir, "rigs");

const lipsync = (image: string) =>
  spawnSync(process.execPath, [join(root, "bin/tic-avatar.mjs"), "lipsync", "--portrait", image, "--audio", "hi.wav", "--out", "out.mp4", "--size", "128"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, TIC_RIG_CACHE_DIR: cacheDir, LOG_LEVEL: "silent" },
  });

beforeAll(async () => {
  execFileSync("espeak-ng", ["-w", "hi.wav", "hello"], { cwd: dir });
  await sharp(portrait).rotate(90).png().toFile(join(dir, "sideways.png"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("tic-avatar lipsync on hard portraits", () => {
  it("renders a portrait whose cached rig cannot be compiled (was RangeError: Invalid typed array length in compileRig)", () => {
    // A rig as the old builder wrote it for a wide open mouth: a corner column lost (-1).
    const rig = JSON.parse(readFileSync(join(root, "public/demo/astronaut.rig.json"), "utf8")) as Rig;
    rig.mesh.mouthCols = [14, -1];
    const key = createHash("sha256").update(readFileSync(portrait)).digest("hex");
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, `${key}.v${RIG_VERSION}.json`), JSON.stringify({ rig, warnings: [] }));
    const run = lipsync(portrait);
    expect(run.stderr).not.toMatch(/RangeError|\n\s+at /);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim().split("\n").at(-1)!)).toMatchObject({ out: "out.mp4", prepare: { cached: false } });
  });

  it("refuses a sideways portrait with its code and what to change, without a stack trace", () => {
    const run = lipsync("sideways.png");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^tic-avatar lipsync: The face is tilted \d+ degrees; rotate the photo so the face is upright .*\[face_tilted\]\n$/);
  });
});
