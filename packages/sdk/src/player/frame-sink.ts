import type { AvatarState, MuxFace, MuxMouthParams } from "../../../../core/mux";

/** Rendering tiers, best first: the viewer's GPU, a CPU/2D fallback in the browser, server frames. */
export type RenderTier = "webgpu" | "canvas2d" | "server" | (string & {});

/** A decoded server-rendered frame ready to draw. */
export interface DecodedVideoFrame {
  frame: number;
  /** Presentation time on the audio clock, in samples and in seconds. */
  pts: number;
  t: number;
  width: number;
  height: number;
  image: CanvasImageSource | ImageData;
}

/**
 * Where AvatarPlayer puts pictures. The browser render client (workers/render) implements it for
 * client-side tiers; CanvasVideoSink implements it for the server tier.
 */
export interface FrameSink {
  /**
   * Draw the avatar with these mouth parameters; `t` is the presentation time in seconds. `face`
   * (streams from mux 1.1): the emotion to blend toward and the speech's brow/nod gestures.
   */
  drawMotion(params: MuxMouthParams, t: number, face?: MuxFace): void;
  /** Draw a server-rendered frame. */
  drawVideo(frame: DecodedVideoFrame): void;
  /** The tier this sink renders with, for stats. */
  readonly tier?: RenderTier;
  /** Avatar state changes (idle / listening / thinking / speaking), so idle motion can follow. */
  setState?(state: AvatarState): void;
}

/** Server tier: draws decoded video frames onto a 2D canvas, scaled to fit. */
export class CanvasVideoSink implements FrameSink {
  readonly tier: RenderTier = "server";
  private readonly ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

  constructor(private readonly canvas: HTMLCanvasElement | OffscreenCanvas) {
    const ctx = canvas.getContext("2d") as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
    if (!ctx) throw new Error("CanvasVideoSink: 2D context unavailable");
    this.ctx = ctx;
  }

  drawMotion(): void {
    // Server frames already contain the mouth; motion records are ignored on this tier.
  }

  drawVideo(frame: DecodedVideoFrame): void {
    const { canvas, ctx } = this;
    if (isImageData(frame.image)) {
      if (canvas.width !== frame.width || canvas.height !== frame.height) {
        canvas.width = frame.width;
        canvas.height = frame.height;
      }
      ctx.putImageData(frame.image, 0, 0);
    } else {
      ctx.drawImage(frame.image as CanvasImageSource, 0, 0, canvas.width, canvas.height);
    }
  }
}

function isImageData(x: unknown): x is ImageData {
  return typeof ImageData !== "undefined" && x instanceof ImageData;
}
