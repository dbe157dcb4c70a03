import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { deformFrame } from "@/core/render/deform";
import { compileRig } from "@/core/render/model";
import { RESTING_MOUTH } from "@/core/render/mouth";
import { SoftwareRasterizer } from "@/core/render/raster";
import { RIG_VERSION } from "@/core/render/rig";
import { framedPortrait } from "@/server/render/framing";
import { PortraitError } from "./errors";
import { preparePortrait } from "./prepare";

const astronaut = readFileSync(new URL("../../public/demo/astronaut.png", import.meta.url));

async function expectCode(image: Uint8Array, code: string): Promise<PortraitError> {
  const err = await preparePortrait(image).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PortraitError);
  expect((err as PortraitError).code).toBe(code);
  expect((err as PortraitError).status).toBe(422);
  return err as PortraitError;
}

describe("preparePortrait", () => {
  it("turns the fixture portrait into a versioned rig with the face, mouth and eyes where they are", async () => {
    const { rig, warnings, timings } = await preparePortrait(astronaut);
    expect(rig.version).toBe(RIG_VERSION);
    expect(warnings).toEqual([]);
    // The astronaut's face sits around x 0.44, y 0.25 of the 512 px picture; mouth below the eyes.
    expect(rig.face.center[0]).toBeGreaterThan(0.38);
    expect(rig.face.center[0]).toBeLessThan(0.5);
    expect(rig.mouth.left[1]).toBeGreaterThan(rig.eyes[0].left[1]);
    expect(rig.mouth.right[0] - rig.mouth.left[0]).toBeGreaterThan(0.05);
    expect(rig.mesh.positions.length).toBe(2 * rig.mesh.cols * rig.mesh.rows);
    for (const k of ["decodeMs", "modelLoadMs", "detectMs", "rigMs", "totalMs"] as const) expect(timings[k]).toBeGreaterThanOrEqual(0);
    // Re-preparing the same bytes gives the same rig (the manifest is cacheable).
    expect((await preparePortrait(astronaut)).rig).toEqual(rig);
  });

  it("tells a smile showing teeth from closed lips, so the renderer knows whether to draw teeth", async () => {
    const { rig } = await preparePortrait(astronaut);
    expect(rig.mouth.teethVisible).toBe(true);
    // The same face with its lips closed (our own renderer's resting frame).
    const model = compileRig(rig);
    const raster = new SoftwareRasterizer(model, await framedPortrait(astronaut, rig, 512));
    const closed = new Uint8Array(512 * 512 * 4);
    raster.render(deformFrame(model, { mouth: RESTING_MOUTH, idle: { timeSec: 0.5, listening: 0 } }), closed);
    const png = await sharp(Buffer.from(closed), { raw: { width: 512, height: 512, channels: 4 } }).png().toBuffer();
    expect((await preparePortrait(png)).rig.mouth.teethVisible).toBe(false);
  });

  it("reads JPEG and WebP, at any size and with the face anywhere", async () => {
    const shifted = await sharp({ create: { width: 900, height: 700, channels: 3, background: "#808890" } })
      .composite([{ input: astronaut, left: 380, top: 150 }])
      .jpeg()
      .toBuffer();
    const jpeg = await preparePortrait(shifted);
    const webp = await preparePortrait(await sharp(astronaut).webp().toBuffer());
    expect(jpeg.rig.source).toEqual({ width: 900, height: 700 });
    expect(webp.rig.source).toEqual({ width: 512, height: 512 });
  });

  it("answers face_not_found, face_too_small and face_cut_off with what to do", async () => {
    const blank = await sharp({ create: { width: 400, height: 400, channels: 3, background: "#a0a0a0" } }).png().toBuffer();
    expect((await expectCode(blank, "face_not_found")).message).toMatch(/No face/);
    const tiny = await sharp(astronaut).resize(200, 200).png().toBuffer();
    expect((await expectCode(tiny, "face_too_small")).message).toMatch(/at least 96 px/);
    const cut = await sharp(astronaut).extract({ left: 0, top: 0, width: 230, height: 512 }).png().toBuffer();
    expect((await expectCode(cut, "face_cut_off")).message).toMatch(/cut off/);
    await expectCode(new Uint8Array([1, 2, 3, 4]), "image_unreadable");
  });

  it("animates the largest of several faces and says so", async () => {
    const small = await sharp(astronaut).resize(400, 400).png().toBuffer();
    const two = await sharp({ create: { width: 1000, height: 520, channels: 3, background: "#909090" } })
      .composite([{ input: astronaut, left: 0, top: 0 }, { input: small, left: 560, top: 60 }])
      .png()
      .toBuffer();
    const { rig, warnings } = await preparePortrait(two);
    expect(warnings.map((w) => w.code)).toEqual(["multiple_faces"]);
    expect(warnings[0]!.message).toMatch(/largest/);
    expect(rig.crop.x + rig.face.center[0] * rig.crop.size).toBeLessThan(500);
  });
});
