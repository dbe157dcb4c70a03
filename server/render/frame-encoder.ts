import "server-only";
import sharp from "sharp";

/** Encodes one RGBA frame as baseline JPEG (the mux `video` record payload for server-rendered tiers). */
export async function encodeJpeg(rgba: Uint8Array, size: number, quality = 80): Promise<Buffer> {
  return sharp(rgba, { raw: { width: size, height: size, channels: 4 } })
    .removeAlpha()
    .jpeg({ quality, chromaSubsampling: "4:2:0", mozjpeg: false })
    .toBuffer();
}
