/** Where the loop gets its display frames: the worker's own rAF, or a timer where a worker has none. */
export type FrameClock = { request(cb: () => void): number; cancel(handle: number): void };

const TIMER_FRAME_MS = 1000 / 60;

/** requestAnimationFrame of this global scope (dedicated workers with OffscreenCanvas have it), else a 60 Hz timer. */
export function frameClock(scope: Partial<Pick<AnimationFrameProvider, "requestAnimationFrame" | "cancelAnimationFrame">> = globalThis): FrameClock {
  if (typeof scope.requestAnimationFrame === "function" && typeof scope.cancelAnimationFrame === "function") {
    const raf = scope.requestAnimationFrame.bind(scope);
    const caf = scope.cancelAnimationFrame.bind(scope);
    return { request: (cb) => raf(() => cb()), cancel: (h) => caf(h) };
  }
  return {
    request: (cb) => setTimeout(cb, TIMER_FRAME_MS) as unknown as number,
    cancel: (h) => clearTimeout(h),
  };
}

/**
 * The render worker's animation loop: one `step` per display frame while playing. A step that
 * throws stops the loop and reports the error (the worker turns it into an error message).
 */
export class FrameLoop {
  private handle: number | null = null;

  constructor(
    private readonly clock: FrameClock,
    private readonly step: () => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  get playing(): boolean {
    return this.handle !== null;
  }

  play(): void {
    if (this.handle !== null) return;
    const tick = () => {
      try {
        this.step();
      } catch (error) {
        this.handle = null;
        this.onError(error);
        return;
      }
      // pause() from inside step() cleared the handle: do not re-arm.
      if (this.handle !== null) this.handle = this.clock.request(tick);
    };
    this.handle = this.clock.request(tick);
  }

  pause(): void {
    if (this.handle === null) return;
    this.clock.cancel(this.handle);
    this.handle = null;
  }
}
