import { smoothstep } from "./geometry";
import type { CavityPalette } from "./mouth-palette";

/**
 * Reads the portrait for the current fragment (RGB 0..1): at a depth below its upper inner lip,
 * and along its own texture coordinate's line from the upper lip (uv + (uv - upperLipUv) * k,
 * upperLipUv = the texel 1.5 px above the seam): k = (gap - depth) / depth reaches the lower lip.
 */
export type TeethSampler = { sampleBelowLip(depth: number, out: Float32Array): void; sampleBeyond(k: number, out: Float32Array): void };

/**
 * Colour of the inner mouth at one fragment (RGB 0..1 into `out`). Mirrored line for line by
 * `cavityColor` in workers/render/mesh.wgsl; keep the two in step (the PSNR test compares them).
 *
 * mu: -1..1 across the mouth; depth: distance below the upper inner lip; interior: height of the
 * mouth interior the portrait itself shows (0 when its lips are closed); gap: current opening;
 * all in crop-normalised units, like mouthWidth and px (one output pixel).
 * `teeth.sampleBelowLip(depth)` reads the portrait just below the upper lip: its own teeth, which move with the skull.
 */
export function cavityColor(
  mu: number,
  depth: number,
  interior: number,
  gap: number,
  mouthWidth: number,
  px: number,
  teeth: TeethSampler,
  pal: CavityPalette,
  out: Float32Array,
): void {
  const au = Math.min(1, Math.abs(mu));
  // Colours come from the portrait's own lip and skin tones (mouth-palette.ts), never a fixed hue.
  // Throat: the lip tone in shadow, darker toward the corners where the cheeks shade it.
  const throat = smoothstep(0.15, 1.0, au);
  const [t0, t1] = [pal.throat, pal.throatEdge];
  let r = t0[0] + (t1[0] - t0[0]) * throat;
  let g = t0[1] + (t1[1] - t0[1]) * throat;
  let b = t0[2] + (t1[2] - t0[2]) * throat;
  // Tongue: a mound rising from the floor of the mouth, lit on its top.
  const tongueTop = gap - Math.min(0.45 * gap, 0.13 * mouthWidth) * Math.max(0, 1 - (mu / 0.8) * (mu / 0.8));
  const onTongue = smoothstep(tongueTop - px, tongueTop + px, depth) * (1 - smoothstep(0.75, 0.85, au));
  const lit = 0.75 + 0.25 * (1 - smoothstep(tongueTop, gap, depth));
  r += (pal.tongue[0] * lit - r) * onTongue;
  g += (pal.tongue[1] * lit - g) * onTongue;
  b += (pal.tongue[2] * lit - b) * onTongue;
  // The lips overhang the opening: a soft shadow along both inner edges of the throat.
  const edge = Math.min(depth, gap - depth);
  const ao = 0.75 + 0.25 * smoothstep(0, 2 * px, edge);
  r *= ao;
  g *= ao;
  b *= ao;
  // Upper teeth (no lower teeth: at speech openings the lower lip hides them): the portrait's own
  // when it shows them, otherwise a band in the palette's teeth tone; a light shadow under the lip.
  const lipShadow = 0.85 + 0.15 * smoothstep(0, 2 * px, depth);
  if (interior > 2 * px) {
    const keep = 0.8 * interior;
    const w = 1 - smoothstep(keep - 1.5 * px, keep + 0.5 * px, depth);
    if (w > 0) {
      teeth.sampleBelowLip(Math.min(depth, keep), out);
      r += (out[0]! * lipShadow - r) * w;
      g += (out[1]! * lipShadow - g) * w;
      b += (out[2]! * lipShadow - b) * w;
    }
  } else {
    const band = Math.min(0.11 * mouthWidth, 0.5 * gap);
    const w = (1 - smoothstep(band - px, band + px, depth)) * (1 - smoothstep(0.6, 0.8, au));
    // Faint lines between the teeth, every ~0.28 half-mouth-widths from the centre gap.
    const f = mu / 0.28 + 0.5;
    const toothEdge = Math.abs(f - Math.floor(f) - 0.5) * 0.28 * 0.5 * mouthWidth;
    const shade = (1 - 0.35 * au * au) * lipShadow * (1 - 0.15 * (1 - smoothstep(0, 1.2 * px, toothEdge)));
    r += (pal.teeth[0] * shade - r) * w;
    g += (pal.teeth[1] * shade - g) * w;
    b += (pal.teeth[2] * shade - b) * w;
  }
  // A sub-pixel opening is the shaded line where the lips meet, not specks of throat or teeth.
  const closed = 1 - smoothstep(0.5 * px, 2.5 * px, gap);
  if (closed > 0) {
    teeth.sampleBelowLip(-1.5 * px, out);
    r += (out[0]! * 0.8 - r) * closed;
    g += (out[1]! * 0.8 - g) * closed;
    b += (out[2]! * 0.8 - b) * closed;
  }
  // Anti-aliasing: within 2 px of the lips' edge the opening fades linearly into the lip it borders
  // (upper half: the upper lip's texel; lower half: the lower lip's, found by extending the
  // fragment's texture coordinate to the far edge), so no pixel row jumps from lip to throat at
  // once and the edge has no stair steps. By distance to the edge, which every tier interpolates
  // alike. A sub-pixel opening keeps the shaded lip line drawn above.
  const cover = Math.max(closed, Math.min(1, edge / (2 * px)));
  if (cover < 1) {
    if (2 * depth <= gap) teeth.sampleBelowLip(-1.5 * px, out);
    else teeth.sampleBeyond((gap - depth) / depth, out);
    r = out[0]! + (r - out[0]!) * cover;
    g = out[1]! + (g - out[1]!) * cover;
    b = out[2]! + (b - out[2]!) * cover;
  }
  out[0] = r;
  out[1] = g;
  out[2] = b;
}
