import type { AvatarState, DecodedVideoFrame, FrameSink, MuxMouthParams, RenderTier } from "@/packages/sdk/src";
import type { RenderClient } from "@/workers/render/render-client";

const RESTING: MuxMouthParams = { jawOpen: 0, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 };

/**
 * Adapts the render worker's client to the player's FrameSink. The player only says which mouth
 * shape is due; this sink keeps its own display loop so the face stays alive (blinks, breathing)
 * between turns, and keeps one frame in flight so a slow renderer never builds a backlog.
 */
export class RenderClientSink implements FrameSink {
  private mouth: MuxMouthParams = RESTING;
  private listening = 0;
  private listeningTarget = 0;
  /** performance.now()/1000 minus the avatar clock: the idle clock follows the audio clock while speaking. */
  private clockOffset = performance.now() / 1000;
  private running = false;
  private frameTimes: number[] = [];
  private lastFrameMs = 0;
  framesRendered = 0;

  constructor(private readonly client: RenderClient) {}

  get tier(): RenderTier {
    return this.client.tier;
  }
  /** Frames the renderer completed over the last second. */
  get fps(): number {
    const now = performance.now();
    while (this.frameTimes.length > 0 && this.frameTimes[0]! < now - 1000) this.frameTimes.shift();
    return this.frameTimes.length;
  }
  /** Wall time of the last frame, ms (render worker round trip). */
  get frameMs(): number {
    return this.lastFrameMs;
  }

  drawMotion(params: MuxMouthParams, t: number): void {
    this.mouth = params;
    this.clockOffset = performance.now() / 1000 - t;
  }

  drawVideo(_frame: DecodedVideoFrame): void {
    // The demo renders on the viewer's device only; a server tier would use CanvasVideoSink.
  }

  setState(state: AvatarState): void {
    this.listeningTarget = state === "listening" ? 1 : 0;
    if (state === "idle") this.mouth = RESTING;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const step = async () => {
      if (!this.running) return;
      const t0 = performance.now();
      // Ease into and out of the listening pose instead of snapping.
      this.listening += (this.listeningTarget - this.listening) * 0.1;
      try {
        await this.client.frameAndWait(this.mouth, { timeSec: t0 / 1000 - this.clockOffset, listening: this.listening });
      } catch {
        this.running = false; // disposed or failed: the page shows the client's error state
        return;
      }
      const t1 = performance.now();
      this.lastFrameMs = t1 - t0;
      this.frameTimes.push(t1);
      this.framesRendered++;
      requestAnimationFrame(() => void step());
    };
    requestAnimationFrame(() => void step());
  }

  /** The frame on screen, read back from the render worker. */
  snapshot(): Promise<{ width: number; height: number; rgba: Uint8Array }> {
    return this.client.snapshot();
  }

  stop(): void {
    this.running = false;
  }
}
