import { readFileSync } from "node:fs";
import sharp, { type Sharp } from "sharp";
import { describe, expect, it } from "vitest";
import { deformFrame } from "@/core/render/deform";
import { compileRig } from "@/core/render/model";
import { RESTING_MOUTH } from "@/core/render/mouth";
import { SoftwareRasterizer } from "@/core/render/raster";
import { modelViolations } from "@/core/render/testing/model-invariants";
import { VISEME_MOUTH } from "@/core/visemes/mouth-params";
import { framedPortrait } from "@/server/render/framing";
import { PortraitError } from "./errors";
import { detectFaces, type DetectedFace } from "./face-landmarks";
import { preparePortrait } from "./prepare";

// Portraits of many kinds, made from the one real fixture, through the real detector and prepare:
// each is animated (a rig that compiles and opens its mouth) or refused with a coded 422.
const astronaut = readFileSync(new URL("../../public/demo/astronaut.png", import.meta.url));
const png = (s: Sharp) => s.png().toBuffer();
const canvas = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: "#7a7f86" } });
const S = 160;

const VARIANTS: Record<string, () => Promise<Buffer>> = {
  "tiny face on a big canvas": async () => png(canvas(1600, 1200).composite([{ input: await sharp(astronaut).resize(300).toBuffer(), left: 700, top: 500 }])),
  "huge face, cropped tight": () => png(sharp(astronaut).extract({ left: 150, top: 50, width: 150, height: 160 }).resize(1200)),
  "rolled 45 degrees": () => png(sharp(astronaut).rotate(45, { background: "#7a7f86" })),
  "sideways (rolled 90 degrees)": () => png(sharp(astronaut).rotate(90)),
  "two faces side by side": () => png(canvas(1024, 512).composite([{ input: astronaut, left: 0, top: 0 }, { input: astronaut, left: 512, top: 0 }])),
  mirrored: () => png(sharp(astronaut).flop()),
  grayscale: () => png(sharp(astronaut).grayscale()),
  "low light": () => png(sharp(astronaut).linear(0.18, 0).gamma(2.2)),
  "heavy JPEG": () => sharp(astronaut).jpeg({ quality: 4 }).toBuffer(),
  "posterised (cartoon-like)": () => png(sharp(astronaut).median(7).png({ palette: true, colours: 6, dither: 0 })),
  "flat-shaded (cel-like)": () => png(sharp(astronaut).blur(3).png({ palette: true, colours: 5, dither: 0 })),
};

type Outcome = { animated: true; roll: number; warnings: string[]; opened: number } | { animated: false; code: string; message: string };

async function outcome(image: Buffer): Promise<Outcome> {
  let prepared;
  try {
    prepared = await preparePortrait(image);
  } catch (error) {
    if (!(error instanceof PortraitError)) throw error;
    expect(error.status).toBe(422);
    return { animated: false, code: error.code, message: error.message };
  }
  const model = compileRig(prepared.rig);
  expect(modelViolations(model)).toEqual([]);
  // Animated: an open vowel changes the mouth's pixels against the resting frame.
  const raster = new SoftwareRasterizer(model, await framedPortrait(image, prepared.rig, S));
  const rest = new Uint8Array(S * S * 4);
  const open = new Uint8Array(S * S * 4);
  raster.render(deformFrame(model, { mouth: RESTING_MOUTH, idle: { timeSec: 0.5, listening: 0 } }), rest);
  raster.render(deformFrame(model, { mouth: VISEME_MOUTH.aa, idle: { timeSec: 0.5, listening: 0 } }), open);
  let opened = 0;
  for (let i = 0; i < rest.length; i += 4) if (Math.abs(rest[i]! - open[i]!) + Math.abs(rest[i + 1]! - open[i + 1]!) > 30) opened++;
  return { animated: true, roll: (prepared.rig.face.roll * 180) / Math.PI, warnings: prepared.warnings.map((w) => w.code), opened };
}

describe("portraits of many kinds through the face detector", () => {
  it("finds the landmarks the fuzz test perturbs (testing/astronaut-face.json) in the fixture", async () => {
    const fixture = JSON.parse(readFileSync(new URL("./testing/astronaut-face.json", import.meta.url), "utf8")) as DetectedFace;
    const { data, info } = await sharp(astronaut).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const [face] = await detectFaces(new Uint8Array(data), info.width, info.height);
    const worst = Math.max(...face!.landmarks.map((p, i) => Math.hypot(p[0] - fixture.landmarks[i]![0], p[1] - fixture.landmarks[i]![1])));
    expect(worst).toBeLessThan(0.01);
  });

  it("animates each variant or refuses it with a coded 422 that says what to change", async () => {
    const results: Record<string, Outcome> = {};
    for (const [name, make] of Object.entries(VARIANTS)) results[name] = await outcome(await make());
    for (const [name, r] of Object.entries(results)) {
      if (r.animated) expect(r.opened, `${name} opens its mouth`).toBeGreaterThan(40);
      else expect(r.message.length, name).toBeGreaterThan(30);
    }
    const summary = Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r.animated ? "animated" : r.code]));
    expect(summary).toEqual({
      "tiny face on a big canvas": "face_too_small",
      "huge face, cropped tight": "animated",
      "rolled 45 degrees": "animated",
      "sideways (rolled 90 degrees)": "face_tilted",
      "two faces side by side": "animated",
      mirrored: "animated",
      grayscale: "animated",
      "low light": "animated",
      "heavy JPEG": "animated",
      "posterised (cartoon-like)": "animated",
      "flat-shaded (cel-like)": "animated",
    });
    expect((results["two faces side by side"] as { warnings: string[] }).warnings).toEqual(["multiple_faces"]);
  });

  it("lays the rig of a face rolled 45 degrees along its features, not upright (rotation-corrected landmarks)", async () => {
    const r = await outcome(await VARIANTS["rolled 45 degrees"]!());
    const upright = await outcome(astronaut);
    expect(r.animated && upright.animated).toBe(true);
    // sharp rotates clockwise; the portrait's own roll adds to it.
    expect(Math.abs((r as { roll: number }).roll - (upright as { roll: number }).roll - 45)).toBeLessThan(4);
  });
});
