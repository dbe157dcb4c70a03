import type { FrameSink } from "@/packages/sdk/src";

// The player's sink before the avatar is drawn: the widget creates the player (the SDK's session
// needs it to connect) before the session's answer, whose client secret reads the avatar to draw.
// Nothing plays before that answer, so nothing is lost; once drawn, every call goes to the renderer.

/** A FrameSink that forwards to `target` once it is set. */
export class LateSink implements FrameSink {
  target: FrameSink | null = null;

  get tier(): FrameSink["tier"] {
    return this.target?.tier;
  }

  drawMotion(...a: Parameters<FrameSink["drawMotion"]>): void {
    this.target?.drawMotion(...a);
  }

  drawVideo(...a: Parameters<FrameSink["drawVideo"]>): void {
    this.target?.drawVideo(...a);
  }

  setState(...a: Parameters<NonNullable<FrameSink["setState"]>>): void {
    this.target?.setState?.(...a);
  }
}
