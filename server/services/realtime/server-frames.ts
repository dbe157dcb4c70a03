import "server-only";
import { deformFrame } from "@/core/render/deform";
import { ExpressionBlend } from "@/core/render/expression";
import { SoftwareRasterizer, type RgbaImage } from "@/core/render/raster";
import type { MuxFace, MuxMouthParams } from "@/core/mux";
import { encodeJpeg } from "@/server/render/frame-encoder";
import { framedPortrait } from "@/server/render/framing";
import type { Db } from "@/server/db/client";
import type { RigEntry } from "./rig-cache";
import { readAssetBytes, sourceAsset } from "./source-image";

/** Renders the avatar's frames on the CPU (the same rasteriser as the browser's canvas2d tier) as JPEG. */
export class ServerFrames {
  private readonly vertices: Float32Array;
  // The face blends from neutral into the turn's emotion (and between a session's turns) on the stream clock.
  private readonly blend = new ExpressionBlend("neutral");
  private readonly out: Uint8Array;
  private constructor(
    private readonly entry: RigEntry,
    private readonly raster: SoftwareRasterizer,
    readonly size: number,
  ) {
    this.vertices = new Float32Array(entry.model.template.length);
    this.out = new Uint8Array(size * size * 4);
  }

  /** A renderer for one turn; the framed portrait texture is cached on the rig entry. */
  static async open(db: Db, entry: RigEntry, size: number): Promise<ServerFrames> {
    const texture = await entryTexture(entry, size, async () => readAssetBytes(await sourceAsset(db, entry.tenantId, entry.sourceAssetId)));
    return new ServerFrames(entry, new SoftwareRasterizer(entry.model, texture), size);
  }

  /** JPEG of frame `frame` at `fps` with the given mouth and face (idle motion follows the stream clock). */
  async render(frame: number, fps: number, mouth: MuxMouthParams, face?: MuxFace): Promise<Uint8Array> {
    const t = frame / fps;
    const expression = this.blend.at(face?.emotion ?? 0, t);
    const gesture = { brow: face?.brow ?? 0, nod: face?.nod ?? 0 };
    deformFrame(this.entry.model, { mouth, idle: { timeSec: t, listening: 0 }, face: { expression, gesture } }, this.vertices);
    this.raster.render(this.vertices, this.out);
    return new Uint8Array(await encodeJpeg(this.out, this.size, 75));
  }
}

/** The rig entry's framed portrait at `size`, framed once per entry and size (a failure is not cached). */
export function entryTexture(entry: RigEntry, size: number, image: () => Promise<Uint8Array>): Promise<RgbaImage> {
  let texture = entry.textures.get(size);
  if (!texture) {
    texture = (async () => framedPortrait(await image(), entry.rig, size))();
    entry.textures.set(size, texture);
    texture.catch(() => entry.textures.delete(size));
  }
  return texture;
}
