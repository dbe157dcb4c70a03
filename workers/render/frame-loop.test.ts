import { describe, expect, it } from "vitest";
import { FrameLoop, frameClock, type FrameClock } from "./frame-loop";

/** A frame clock the test advances by hand. */
function manualClock(): FrameClock & { tick(): void; queued: number } {
  let next = 1;
  const cbs = new Map<number, () => void>();
  return {
    request: (cb) => (cbs.set(next, cb), next++),
    cancel: (h) => void cbs.delete(h),
    tick() {
      const due = [...cbs.values()];
      cbs.clear();
      due.forEach((cb) => cb());
    },
    get queued() {
      return cbs.size;
    },
  };
}

describe("FrameLoop", () => {
  it("steps once per display frame while playing, not at all when paused", () => {
    const clock = manualClock();
    let steps = 0;
    const loop = new FrameLoop(clock, () => steps++, () => undefined);
    loop.play();
    loop.play(); // idempotent: still one frame in flight
    expect(clock.queued).toBe(1);
    clock.tick();
    clock.tick();
    expect(steps).toBe(2);
    loop.pause();
    clock.tick();
    expect(steps).toBe(2);
    expect(loop.playing).toBe(false);
  });

  it("a step that throws stops the loop and reports the error", () => {
    const clock = manualClock();
    const errors: unknown[] = [];
    const loop = new FrameLoop(clock, () => { throw new Error("draw failed"); }, (e) => errors.push(e));
    loop.play();
    clock.tick();
    expect(errors).toHaveLength(1);
    expect(loop.playing).toBe(false);
    expect(clock.queued).toBe(0);
  });

  it("uses the scope's requestAnimationFrame, and a timer where there is none", async () => {
    const rafs: (() => void)[] = [];
    const scope = { requestAnimationFrame: (cb: FrameRequestCallback) => rafs.push(() => cb(0)), cancelAnimationFrame: () => undefined };
    let n = 0;
    frameClock(scope).request(() => n++);
    rafs[0]!();
    expect(n).toBe(1);
    const timer = frameClock({});
    await new Promise<void>((resolve) => timer.request(resolve));
  });
});
