import "server-only";
import sharp from "sharp";
import type { RgbaImage } from "@/core/render/raster";
import type { Rig } from "@/core/render/rig";

/** The rig's square crop of the portrait at the output size, RGBA: the texture every renderer samples. */
export async function framedPortrait(image: Uint8Array, rig: Rig, size: number): Promise<RgbaImage> {
  const { x, y, size: side } = rig.crop;
  let pipeline = sharp(image).rotate();
  if (x !== 0 || y !== 0 || side !== rig.source.width || side !== rig.source.height) {
    pipeline = sharp(await pipeline.toBuffer()).extract({ left: x, top: y, width: side, height: side });
  }
  if (side !== size) pipeline = pipeline.resize(size, size, { kernel: "lanczos3" });
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}
