import "server-only";
import { deformFrame } from "@/core/render/deform";
import { SoftwareRasterizer } from "@/core/render/raster";
import type { MuxMouthParams } from "@/core/mux";
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

type Draw = (frame: number, fps: number, mouth: MuxMouthParams, out: Uint8Array) => void;

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
    let texture = entry.textures.get(size);
    if (!texture) {
      texture = (async () => {
        const asset = await sourceAsset(db, entry.tenantId, entry.sourceAssetId);
        return framedPortrait(await readAssetBytes(asset), entry.rig, size);
      })();
      entry.textures.set(size, texture);
      texture.catch(() => entry.textures.delete(size));
    }
    const raster = new SoftwareRasterizer(entry.model, await texture);
    const vertices = new Float32Array(entry.model.template.length);
    return new ServerFrames((frame, fps, mouth, out) => {
      deformFrame(entry.model, { mouth, idle: { timeSec: frame / fps, listening: 0 } }, vertices);
      raster.render(vertices, out);
    }, size);
  }

  /** A renderer for one turn on a source-video avatar's loop (its cache's plan and frames). */
  static async openVideo(db: Db, entry: RigEntry, cache: VideoCacheRow, size: number): Promise<ServerFrames> {
    const video = new SourceVideoRenderer(entry.model, await loopFrames(db, cache, size), cache.plan as unknown as VideoPlan);
    return new ServerFrames((frame, fps, mouth, out) => video.draw(frame, fps, mouth, out), size);
  }

  /** JPEG of frame `frame` at `fps` with the given mouth (idle motion follows the stream clock). */
  async render(frame: number, fps: number, mouth: MuxMouthParams): Promise<Uint8Array> {
    this.draw(frame, fps, mouth, this.out);
    return new Uint8Array(await encodeJpeg(this.out, this.size, 75));
  }
}

/** Server frames for a turn on `avatar`: on its source-video loop (`video`, videoCacheForTurn) or its portrait. */
export function openServerFrames(db: Db, avatar: Pick<AvatarRow, "sourceKind">, entry: RigEntry, video: VideoCacheRow | null, size: number): Promise<ServerFrames> {
  return avatar.sourceKind === "video" && video ? ServerFrames.openVideo(db, entry, video, size) : ServerFrames.open(db, entry, size);
}
