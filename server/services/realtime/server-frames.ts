import "server-only";
import { deformFrame } from "@/core/render/deform";
import { ExpressionBlend } from "@/core/render/expression";
import { SoftwareRasterizer, type RgbaImage } from "@/core/render/raster";
import type { MuxFace, MuxMouthParams } from "@/core/mux";
import type { VideoPlan } from "@/core/video/loop-plan";
import { SourceVideoRenderer } from "@/core/video/video-frames";
import { encodeJpeg } from "@/server/render/frame-encoder";
import { framedPortrait } from "@/server/render/framing";
import type { Db } from "@/server/db/client";
import type { AvatarRow } from "../avatars";
import type { VideoCacheRow } from "../video-avatars/caches";
import { loopFrames } from "../video-avatars/loop-frames";
import type { RigEntry } from "./rig-cache";
import { readAssetBytes, sourceAsset } from "./source-image";

type Draw = (frame: number, fps: number, mouth: MuxMouthParams, face: MuxFace | undefined, out: Uint8Array) => void;

/** Renders the avatar's frames on the CPU (the same rasteriser as the browser's canvas2d tier) as JPEG. */
export class ServerFrames {
  private readonly out: Uint8Array;
  private constructor(
    private readonly draw: Draw,
    readonly size: number,
  ) {
    this.out = new Uint8Array(size * size * 4);
  }

  /** A renderer for one turn; the framed portrait texture is cached on the rig entry. */
  static async open(db: Db, entry: RigEntry, size: number): Promise<ServerFrames> {
    const texture = await entryTexture(entry, size, async () => readAssetBytes(await sourceAsset(db, entry.tenantId, entry.sourceAssetId)));
    const raster = new SoftwareRasterizer(entry.model, texture);
    const vertices = new Float32Array(entry.model.template.length);
    // The face blends from neutral into the turn's emotion (and between a session's turns) on the stream clock.
    const blend = new ExpressionBlend("neutral");
    return new ServerFrames((frame, fps, mouth, face, out) => {
      const t = frame / fps;
      const expression = blend.at(face?.emotion ?? 0, t);
      const gesture = { brow: face?.brow ?? 0, nod: face?.nod ?? 0 };
      deformFrame(entry.model, { mouth, idle: { timeSec: t, listening: 0 }, face: { expression, gesture } }, vertices);
      raster.render(vertices, out);
    }, size);
  }

  /**
   * A renderer for one turn on a source-video avatar's loop (its cache's plan and frames). Only the
   * mouth is re-animated: the person's own face carries the rest, so emotions and gestures are not drawn on it.
   */
  static async openVideo(db: Db, entry: RigEntry, cache: VideoCacheRow, size: number): Promise<ServerFrames> {
    const video = new SourceVideoRenderer(entry.model, await loopFrames(db, cache, size), cache.plan as unknown as VideoPlan);
    return new ServerFrames((frame, fps, mouth, _face, out) => video.draw(frame, fps, mouth, out), size);
  }

  /** JPEG of frame `frame` at `fps` with the given mouth and face (idle motion follows the stream clock). */
  async render(frame: number, fps: number, mouth: MuxMouthParams, face?: MuxFace): Promise<Uint8Array> {
    this.draw(frame, fps, mouth, face, this.out);
    return new Uint8Array(await encodeJpeg(this.out, this.size, 75));
  }
}

/** Server frames for a turn on `avatar`: on its source-video loop (`video`, videoCacheForTurn) or its portrait. */
export function openServerFrames(db: Db, avatar: Pick<AvatarRow, "sourceKind">, entry: RigEntry, video: VideoCacheRow | null, size: number): Promise<ServerFrames> {
  return avatar.sourceKind === "video" && video ? ServerFrames.openVideo(db, entry, video, size) : ServerFrames.open(db, entry, size);
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
