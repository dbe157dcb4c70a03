import type { MeshModel } from "@/core/render/model";
import { SoftwareRasterizer } from "@/core/render/raster";

/** The CPU tier in the browser: core's software rasteriser into ImageData on a 2D OffscreenCanvas. */
export class Canvas2dRenderer {
  private readonly raster: SoftwareRasterizer;
  private readonly image: ImageData;
  private readonly pixels: Uint8Array;

  constructor(
    private readonly ctx: OffscreenCanvasRenderingContext2D,
    readonly model: MeshModel,
    readonly size: number,
    private texture: Uint8Array,
  ) {
    this.raster = new SoftwareRasterizer(model, { width: size, height: size, data: texture });
    this.image = ctx.createImageData(size, size);
    // A Uint8Array view: the rasteriser rounds explicitly, which Uint8ClampedArray stores would redo.
    this.pixels = new Uint8Array(this.image.data.buffer);
  }

  /** Reads the portrait's exact bytes (no colour conversion) and sets up the canvas. */
  static create(canvas: OffscreenCanvas, model: MeshModel, portrait: ImageBitmap): Canvas2dRenderer {
    const size = portrait.width;
    const texture = portraitBytes(portrait);
    canvas.width = size;
    canvas.height = size;
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("2D canvas unavailable");
    return new Canvas2dRenderer(ctx, model, size, texture);
  }

  /** The RGBA bytes of a bitmap at the renderer's size, as the portrait is read (a source video's frames, once). */
  static readPixels(bitmap: ImageBitmap): Uint8Array {
    const scratch = new OffscreenCanvas(bitmap.width, bitmap.height);
    const sctx = scratch.getContext("2d", { willReadFrequently: true });
    if (!sctx) throw new Error("2D canvas unavailable");
    sctx.drawImage(bitmap, 0, 0);
    return new Uint8Array(sctx.getImageData(0, 0, bitmap.width, bitmap.height).data.buffer);
  }

  /** Swaps the texture (a source video's next loop frame). */
  setTexture(rgba: Uint8Array): void {
    this.texture = rgba;
    this.raster.setTexture({ width: this.size, height: this.size, data: rgba });
  }

  /** Draws a frame; `null` shows the texture untouched (a silent source-video frame). */
  render(vertices: Float32Array | null): void {
    if (vertices) this.raster.render(vertices, this.pixels);
    else this.pixels.set(this.texture);
    this.ctx.putImageData(this.image, 0, 0);
  }

  renderAndRead(vertices: Float32Array | null): Uint8Array {
    this.render(vertices);
    return this.pixels.slice();
  }
}

/** The portrait's exact RGBA bytes (drawn once into a scratch 2D canvas). */
export function portraitBytes(portrait: ImageBitmap): Uint8Array {
  const size = portrait.width;
  const scratch = new OffscreenCanvas(size, portrait.height);
  const sctx = scratch.getContext("2d", { willReadFrequently: true });
  if (!sctx) throw new Error("2D canvas unavailable");
  sctx.drawImage(portrait, 0, 0);
  return new Uint8Array(sctx.getImageData(0, 0, size, portrait.height).data.buffer);
}
