import type { Rig } from "@/core/render/rig";

/** The portrait framed for the renderer: the rig's crop at the output size, the file's colours untouched. */
export function framePortrait(rig: Rig, portrait: Blob, size: number): Promise<ImageBitmap> {
  const { x, y, size: crop } = rig.crop;
  return createImageBitmap(portrait, x, y, crop, crop, { resizeWidth: size, resizeHeight: size, resizeQuality: "high", colorSpaceConversion: "none" });
}
