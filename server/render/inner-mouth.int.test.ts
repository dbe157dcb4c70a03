import { readFileSync } from "node:fs";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { deformFrame, type FrameInput } from "@/core/render/deform";
import { compileRig, FLOATS_PER_VERTEX, type MeshModel } from "@/core/render/model";
import { RESTING_MOUTH } from "@/core/render/mouth";
import { SoftwareRasterizer, type RgbaImage } from "@/core/render/raster";
import type { Rig } from "@/core/render/rig";
import { preparePortrait } from "@/server/portrait/prepare";
import { framedPortrait } from "./framing";

// The inner mouth on the fixture portrait (real prepare, CPU rasteriser = server and canvas2d tiers):
// colours from the portrait's own tones, none a grey portrait lacks, and an anti-aliased edge.
const fixture = readFileSync(new URL("../../public/demo/astronaut.png", import.meta.url));
const S = 512;
const OPEN: FrameInput = { mouth: { ...RESTING_MOUTH, jawOpen: 0.9, lipWidth: 0.3, upperLipRaise: 0.2 }, idle: { timeSec: 2.1, listening: 0 } };
const REST: FrameInput = { mouth: RESTING_MOUTH, idle: { timeSec: 2.1, listening: 0 } };

type Prepared = { rig: Rig; texture: RgbaImage; render: (f: FrameInput) => Uint8Array };

async function prepared(image: Uint8Array, patch: (rig: Rig) => Rig = (r) => r): Promise<Prepared> {
  const rig = patch((await preparePortrait(image)).rig);
  const texture = await framedPortrait(image, rig, S);
  const model = compileRig(rig);
  const raster = new SoftwareRasterizer(model, texture);
  return {
    rig,
    texture,
    render: (f) => {
      const out = new Uint8Array(S * S * 4);
      raster.render(deformFrame(model, f), out);
      return out;
    },
  };
}

/** The mouth's box in output pixels: the outer lips widened by half a mouth width each side, and down for the open jaw. */
function mouthBox(rig: Rig): [number, number, number, number] {
  const pts = [...rig.mouth.outer.upper, ...rig.mouth.outer.lower];
  const xs = pts.map((p) => p[0] * S);
  const ys = pts.map((p) => p[1] * S);
  const w = Math.max(...xs) - Math.min(...xs);
  return [Math.floor(Math.min(...xs) - 0.5 * w), Math.floor(Math.min(...ys) - 0.3 * w), Math.ceil(Math.max(...xs) + 0.5 * w), Math.ceil(Math.max(...ys) + 0.9 * w)];
}

const chroma = (d: ArrayLike<number>, o: number) => Math.max(d[o]!, d[o + 1]!, d[o + 2]!) - Math.min(d[o]!, d[o + 1]!, d[o + 2]!);
/** HSV saturation, for pixels bright enough that 8-bit rounding does not decide it. */
const saturation = (d: ArrayLike<number>, o: number) => {
  const max = Math.max(d[o]!, d[o + 1]!, d[o + 2]!);
  return max < 48 ? 0 : chroma(d, o) / max;
};
const hue = (r: number, g: number, b: number) => (Math.atan2(Math.sqrt(3) * (g - b), 2 * r - g - b) * 180) / Math.PI;
const hueDistance = (a: number, b: number) => Math.abs(((a - b + 540) % 360) - 180);

function maxIn(data: ArrayLike<number>, box: [number, number, number, number], f: (d: ArrayLike<number>, o: number) => number): number {
  let m = 0;
  for (let y = box[1]; y < box[3]; y++) for (let x = box[0]; x < box[2]; x++) m = Math.max(m, f(data, (y * S + x) * 4));
  return m;
}

/** The drawn opening in output pixels: the cavity's top and bottom vertices of a deformed frame, column by column. */
function cavityEdges(model: MeshModel, v: Float32Array): { top: [number, number][]; bottom: [number, number][] } {
  const top: [number, number][] = [];
  const bottom: [number, number][] = [];
  for (let j = 0; j < model.cavity.top.length; j++) {
    const t = (model.cavity.firstDup + 2 * j) * FLOATS_PER_VERTEX;
    const b = t + FLOATS_PER_VERTEX;
    top.push([v[t]! * S, v[t + 1]! * S]);
    bottom.push([v[b]! * S, v[b + 1]! * S]);
  }
  return { top, bottom };
}

const yAt = (poly: [number, number][], x: number) => {
  const k = poly.findIndex((p) => p[0] > x);
  if (k <= 0) return NaN;
  const [a, b] = [poly[k - 1]!, poly[k]!];
  return a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0]);
};

/** Mean colour of the inner mouth's pixels at least `margin` px inside the opening. */
function cavityMean(frame: Uint8Array, model: MeshModel, v: Float32Array, margin: number): { rgb: [number, number, number]; n: number } {
  const { top, bottom } = cavityEdges(model, v);
  const sum = [0, 0, 0];
  let n = 0;
  for (let x = Math.ceil(top[0]![0]); x < top.at(-1)![0]; x++) {
    const y0 = yAt(top, x + 0.5) + margin;
    const y1 = yAt(bottom, x + 0.5) - margin;
    for (let y = Math.ceil(y0 - 0.5); y + 0.5 < y1; y++) {
      const o = (y * S + x) * 4;
      for (let c = 0; c < 3; c++) sum[c]! += frame[o + c]!;
      n++;
    }
  }
  return { rgb: sum.map((c) => c / Math.max(1, n)) as [number, number, number], n };
}

/** Mean colour of the pixels the open mouth changed (the drawn inner mouth) inside the box. */
function changedMean(open: Uint8Array, rest: Uint8Array, box: [number, number, number, number]): { rgb: [number, number, number]; n: number } {
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = box[1]; y < box[3]; y++) {
    for (let x = box[0]; x < box[2]; x++) {
      const o = (y * S + x) * 4;
      if (Math.abs(open[o]! - rest[o]!) + Math.abs(open[o + 1]! - rest[o + 1]!) + Math.abs(open[o + 2]! - rest[o + 2]!) < 60) continue;
      for (let c = 0; c < 3; c++) sum[c]! += open[o + c]!;
      n++;
    }
  }
  return { rgb: sum.map((v) => v / Math.max(1, n)) as [number, number, number], n };
}

let colour: Prepared;
let grey: Prepared;

beforeAll(async () => {
  const greyPng = new Uint8Array(await sharp(fixture).toColourspace("b-w").png().toBuffer());
  colour = await prepared(new Uint8Array(fixture));
  grey = await prepared(greyPng);
}, 120_000);

describe("inner mouth colours come from the portrait", () => {
  it("prepare samples the portrait's lip and skin tones into the rig; a grey portrait's are grey", () => {
    const c = colour.rig.mouth.palette!;
    const g = grey.rig.mouth.palette!;
    expect(c.lip[0]).toBeGreaterThan(c.lip[2] + 0.05); // the astronaut's lips are red-brown
    for (const tone of [g.lip, g.skin]) expect(tone[0] === tone[1] && tone[1] === tone[2]).toBe(true);
  });

  it("a greyscale portrait rendered with the mouth open gains no colour anywhere (chroma and saturation stay the source's)", () => {
    const frame = grey.render(OPEN);
    const box = mouthBox(grey.rig);
    const all: [number, number, number, number] = [0, 0, S, S];
    expect(maxIn(grey.texture.data, all, chroma)).toBe(0);
    expect(maxIn(frame, all, chroma)).toBe(0);
    // The mouth really opened (a dark interior was drawn), so the check above saw an inner mouth.
    expect(changedMean(frame, grey.render(REST), box).n).toBeGreaterThan(150);
  });

  it("the colour portrait's inner mouth is no more saturated than its own mouth region, in its lips' hue", () => {
    const open = colour.render(OPEN);
    const box = mouthBox(colour.rig);
    expect(maxIn(open, box, saturation)).toBeLessThanOrEqual(maxIn(colour.texture.data, box, saturation) + 0.02);
    expect(maxIn(open, box, chroma)).toBeLessThanOrEqual(maxIn(colour.texture.data, box, chroma));
    const { rgb, n } = changedMean(open, colour.render(REST), box);
    expect(n).toBeGreaterThan(150);
    const lip = colour.rig.mouth.palette!.lip;
    expect(hueDistance(hue(...rgb), hue(lip[0], lip[1], lip[2]))).toBeLessThan(20);
  });

  it("a hue-rotated portrait gets an inner mouth (throat, tongue, drawn teeth) of its own lip hue, not a fixed red", async () => {
    // Drawn teeth (teethVisible off) so that every inner-mouth colour is the palette's.
    const green = await prepared(new Uint8Array(await sharp(fixture).modulate({ hue: 150 }).png().toBuffer()), (r) => ({ ...r, mouth: { ...r.mouth, teethVisible: false } }));
    const lip = green.rig.mouth.palette!.lip;
    const lipHue = hue(lip[0], lip[1], lip[2]);
    expect(hueDistance(lipHue, 0)).toBeGreaterThan(90);
    const model = compileRig(green.rig);
    const v = deformFrame(model, OPEN);
    const { rgb, n } = cavityMean(green.render(OPEN), model, v, 3);
    expect(n).toBeGreaterThan(150);
    expect(hueDistance(hue(...rgb), lipHue)).toBeLessThan(25);
    expect(hueDistance(hue(...rgb), 0)).toBeGreaterThan(60);
  }, 60_000);
});

describe("the cavity edge is anti-aliased", () => {
  it("every column across the opening fades from throat to lower lip through intermediate values", async () => {
    // A white portrait with a black palette and no teeth: each pixel's value is the lip's coverage.
    const rig: Rig = { ...colour.rig, mouth: { ...colour.rig.mouth, teethVisible: false, palette: { lip: [0, 0, 0], skin: [0, 0, 0] } } };
    const model = compileRig(rig);
    const white = new Uint8Array(S * S * 4).fill(255);
    const raster = new SoftwareRasterizer(model, { width: S, height: S, data: white });
    const v = deformFrame(model, OPEN);
    const out = new Uint8Array(S * S * 4);
    raster.render(v, out);
    // The lower inner lip as drawn: the cavity's bottom vertices.
    const { firstDup } = model.cavity;
    const bottom: [number, number][] = [];
    for (let j = 0; j < model.cavity.top.length; j++) {
      const o = (firstDup + 2 * j + 1) * FLOATS_PER_VERTEX;
      const t = (firstDup + 2 * j) * FLOATS_PER_VERTEX;
      if ((v[o + 1]! - v[t + 1]!) * S > 6) bottom.push([v[o]! * S, v[o + 1]! * S]);
    }
    expect(bottom.length).toBeGreaterThan(4);
    let columns = 0;
    for (let x = Math.ceil(bottom[0]![0]); x < bottom.at(-1)![0]; x++) {
      const k = bottom.findIndex((p) => p[0] > x + 0.5);
      if (k <= 0) continue;
      const [a, b] = [bottom[k - 1]!, bottom[k]!];
      const y = a[1] + ((b[1] - a[1]) * (x + 0.5 - a[0])) / (b[0] - a[0]);
      const column = [-4, -3, -2, -1, 0, 1, 2].map((d) => out[((Math.floor(y) + d) * S + x) * 4]!);
      // Dark inside, white lip below, and at least one pixel part-way: no hard step.
      expect(Math.min(...column), `column ${x}`).toBeLessThan(40);
      expect(Math.max(...column), `column ${x}`).toBe(255);
      expect(column.some((p) => p > 50 && p < 205), `column ${x}: ${column.join(",")}`).toBe(true);
      // Each step between neighbouring rows is at most about half of the full contrast.
      for (let i = 1; i < column.length; i++) expect(Math.abs(column[i]! - column[i - 1]!), `column ${x}: ${column.join(",")}`).toBeLessThan(150);
      columns++;
    }
    expect(columns).toBeGreaterThan(15);
  });
});
