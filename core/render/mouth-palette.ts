import type { Point, Rig, RigMouthPalette } from "./rig";

export type Rgb = [number, number, number];

/** The inner mouth's colours, all derived from the portrait's own lip and skin tones (RGB 0..1). */
export type CavityPalette = { throat: Rgb; throatEdge: Rgb; tongue: Rgb; teeth: Rgb };

type Sampler = (p: Point) => Rgb;
type MouthGeometry = Pick<Rig, "eyes" | "mouth" | "face">;

const luma = (c: Rgb) => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
const scale = (c: Rgb, k: number): Rgb => [c[0] * k, c[1] * k, c[2] * k];
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const lerpPt = (a: Point, b: Point, t: number): Point => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];

function median(values: Rgb[]): Rgb {
  const ch = (i: 0 | 1 | 2) => {
    const v = values.map((c) => c[i]).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)]!;
  };
  // Per channel: a grey portrait (r = g = b everywhere) keeps r = g = b.
  return [ch(0), ch(1), ch(2)];
}

function along(poly: readonly Point[], t: number): Point {
  return poly[Math.min(poly.length - 1, Math.max(0, Math.round(t * (poly.length - 1))))]!;
}

/**
 * Samples the portrait's own lip and skin tones (prepare, at rig build time): the lips' body
 * between inner and outer contour across the middle of the mouth, and skin on both cheeks and
 * between lower lip and chin. Medians, so a highlight or a stray hair does not decide.
 * `at` reads the portrait (RGB 0..1) at a crop-normalised point.
 */
export function sampleMouthPalette(g: MouthGeometry, at: Sampler): RigMouthPalette {
  const { inner, outer, left, right } = g.mouth;
  const lips: Rgb[] = [];
  for (let i = 2; i <= 8; i++) {
    const t = i / 10;
    for (const d of [0.3, 0.5, 0.7]) {
      lips.push(at(lerpPt(along(inner.lower, t), along(outer.lower, t), d)));
      lips.push(at(lerpPt(along(inner.upper, t), along(outer.upper, t), d)));
    }
  }
  const skin: Rgb[] = [];
  const chinMid = lerpPt(along(outer.lower, 0.5), g.face.chin, 0.45);
  for (const [eye, corner] of [[g.eyes[0], left], [g.eyes[1], right]] as const) {
    const eyeC = lerpPt(eye.left, eye.right, 0.5);
    for (const t of [0.45, 0.55, 0.65]) skin.push(at(lerpPt(eyeC, corner, t)));
  }
  for (const dx of [-0.1, 0, 0.1]) skin.push(at([chinMid[0] + dx * g.face.width, chinMid[1]]));
  const q = (c: Rgb): Rgb => [round3(c[0]), round3(c[1]), round3(c[2])];
  // Thin lips leave some samples on skin or teeth: the lip tone is the median of the third with the
  // most colour (for a grey portrait every sample is grey, so it stays grey).
  const chroma = (c: Rgb) => Math.max(...c) - Math.min(...c);
  const vivid = [...lips].sort((a, b) => chroma(b) - chroma(a)).slice(0, Math.max(1, Math.ceil(lips.length / 3)));
  return { lip: q(median(vivid)), skin: q(median(skin)) };
}

const round3 = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000;

/**
 * The cavity colours from the sampled tones. Every colour is a scaled lip or skin tone, a mix of
 * the two, or a light grey plus a fraction of the skin's own chroma: nothing adds colour the
 * portrait does not have (a grey portrait gets a grey mouth), and nothing is more saturated than
 * its lips.
 */
export function cavityPalette(p: RigMouthPalette): CavityPalette {
  const lip = p.lip as Rgb;
  const skin = p.skin as Rgb;
  const ls = luma(skin);
  // Teeth: lighter than the skin (as teeth are), tinted by a third of the skin's own chroma.
  const tl = Math.min(0.92, Math.max(0.5, 0.3 + 0.85 * ls));
  const teeth: Rgb = [tl + 0.3 * (skin[0] - ls), tl + 0.3 * (skin[1] - ls), tl + 0.3 * (skin[2] - ls)];
  // The throat is the lip tone in deep shadow; the tongue a lip tone a little toward the skin.
  const shade = Math.min(1, 0.45 / Math.max(0.05, luma(lip)));
  return {
    throat: scale(lip, 0.3 * shade),
    throatEdge: scale(lip, 0.1 * shade),
    tongue: scale(mix(lip, skin, 0.2), Math.min(1, 0.9 * shade)),
    teeth,
  };
}

/** The palette for an RGBA image of the rig's crop (a rig from before palettes: the renderer samples its own texture). */
export function paletteFromImage(rig: MouthGeometry, image: { width: number; height: number; data: ArrayLike<number> }): RigMouthPalette {
  const S = image.width;
  return sampleMouthPalette(rig, ([x, y]) => {
    const ix = Math.min(S - 1, Math.max(0, Math.floor(x * S)));
    const iy = Math.min(image.height - 1, Math.max(0, Math.floor(y * image.height)));
    const o = (iy * S + ix) * 4;
    return [image.data[o]! / 255, image.data[o + 1]! / 255, image.data[o + 2]! / 255];
  });
}

/** The rig's sampled palette, or one sampled from the renderer's texture for an older rig. */
export function resolvePalette(rig: MouthGeometry, image: { width: number; height: number; data: ArrayLike<number> }): CavityPalette {
  return cavityPalette(rig.mouth.palette ?? paletteFromImage(rig, image));
}

/** The palette as 16 floats (four vec4f: throat, throat edge, tongue, teeth), the WGSL uniform layout. */
export function paletteFloats(p: CavityPalette): Float32Array {
  return Float32Array.from([...p.throat, 0, ...p.throatEdge, 0, ...p.tongue, 0, ...p.teeth, 0]);
}
