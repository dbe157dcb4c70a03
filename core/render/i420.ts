/**
 * RGBA → I420 (YUV 4:2:0, BT.601 limited range, the matrix ffmpeg assumes for SD video), updated
 * only inside a changed rectangle: the portrait around the head is converted once, and a frame
 * then costs the head's pixels, not the whole picture's.
 */
export class I420Frame {
  readonly data: Uint8Array;
  private readonly uOffset: number;
  private readonly vOffset: number;

  constructor(readonly size: number) {
    if (size % 2 !== 0) throw new Error("I420 needs an even frame size.");
    this.data = new Uint8Array((size * size * 3) / 2);
    this.uOffset = size * size;
    this.vOffset = this.uOffset + (size * size) / 4;
  }

  /** Converts rgba inside [x0, x1) x [y0, y1) (widened to even bounds), or the whole frame. */
  update(rgba: Uint8Array, rect: readonly [number, number, number, number] = [0, 0, this.size, this.size]): void {
    const S = this.size;
    const x0 = Math.max(0, rect[0] & ~1);
    const y0 = Math.max(0, rect[1] & ~1);
    const x1 = Math.min(S, (rect[2] + 1) & ~1);
    const y1 = Math.min(S, (rect[3] + 1) & ~1);
    const d = this.data;
    for (let y = y0; y < y1; y += 2) {
      for (let x = x0; x < x1; x += 2) {
        let rs = 0;
        let gs = 0;
        let bs = 0;
        for (let k = 0; k < 4; k++) {
          const px = x + (k & 1);
          const py = y + (k >> 1);
          const o = (py * S + px) * 4;
          const r = rgba[o]!, g = rgba[o + 1]!, b = rgba[o + 2]!;
          d[py * S + px] = ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
          rs += r;
          gs += g;
          bs += b;
        }
        // Chroma of the 2x2 block's mean colour (sums / 4 folded into the shift).
        const c = (y >> 1) * (S >> 1) + (x >> 1);
        d[this.uOffset + c] = ((-38 * rs - 74 * gs + 112 * bs + 512) >> 10) + 128;
        d[this.vOffset + c] = ((112 * rs - 94 * gs - 18 * bs + 512) >> 10) + 128;
      }
    }
  }
}
