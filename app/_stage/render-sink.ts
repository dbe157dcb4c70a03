import { CanvasVideoSink, type AvatarState, type DecodedVideoFrame, type FrameSink, type MuxFace, type MuxMouthParams, type RenderTier } from "@/packages/sdk/src";
import { wallMs, type RenderClient } from "@/workers/render/render-client";

/**
 * Adapts the render worker's client to the player's FrameSink. The player says which mouth shape
 * is due on the audio clock; the sink posts it to the worker as a key stamped with that clock, and
 * the worker's own loop keeps drawing (blinks, breathing, the listening pose) between turns.
 * Server-rendered frames (the server tier, where no worker runs) go to the page's canvas.
 */
export class RenderClientSink implements FrameSink {
  private video: CanvasVideoSink | null = null;

  constructor(private readonly client: RenderClient) {}

  get tier(): RenderTier {
    return this.client.tier;
  }

  /** Frames the worker drew over the last second. */
  get fps(): number {
    return this.client.fps;
  }

  drawMotion(params: MuxMouthParams, t: number, face?: MuxFace): void {
    // Due now on the audio clock: the key and the clock sync are the same instant.
    this.client.mouth([face ? { t, mouth: params, face } : { t, mouth: params }], { t, wallMs: wallMs() });
  }

  drawVideo(frame: DecodedVideoFrame): void {
    if (this.client.tier !== "server" || !this.client.canvas) return; // the worker owns the canvas
    (this.video ??= new CanvasVideoSink(this.client.canvas)).drawVideo(frame);
  }

  setState(state: AvatarState): void {
    this.client.listening(state === "listening");
    if (state === "idle") this.client.rest();
  }

  /** The frame on screen, read back from the render worker. */
  snapshot(): Promise<{ width: number; height: number; t: number; rgba: Uint8Array }> {
    return this.client.snapshot();
  }
}
