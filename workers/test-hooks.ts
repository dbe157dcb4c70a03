import type { FrameInput } from "@/core/render/deform";

/**
 * `window.__tic`: the one test-inspection hook. Test drivers (Playwright, the render bench) and
 * devtools read it; the app never does. Pages install their probes only where the lab is enabled
 * (ENABLE_LAB=1, read by the server and passed down): the /lab pages exist only then, and the
 * avatar stage gets a `testHooks` flag. The bench harness page is a test fixture and always has it.
 */
export type TicTestHooks = {
  /** The avatar stage (demo, dashboard): the frame on screen, read back from the render worker. */
  stage?: StageProbe;
  /** The render lab and the bench harness: drive the renderer frame by frame. */
  render?: RenderProbe;
  /** The harness page could not start its renderer. */
  renderError?: string;
  /** The lipsync lab's result. */
  visemes?: VisemesProbe;
};

/** A frame read back from the renderer (a worker's WebGPU canvas cannot be read from the page). */
export type StageShot = {
  /** Avatar-clock (audio) time of the mouth on screen, seconds; -1 before the first turn. */
  t: number;
  tier: string;
  width: number;
  height: number;
  /** RGBA bytes, base64 (the hook crosses into test drivers as JSON). */
  rgba: string;
};

export type StageProbe = { snapshot(): Promise<StageShot> };

export type RenderProbe = {
  readonly tier: string;
  fallbackReason?: string;
  adapter?: string;
  /** Frames the worker's own loop drew over the last second (0 once a still holds it). */
  readonly fps: number;
  /** Draws exactly this frame (the loop holds it) and returns its RGBA pixels, base64. */
  render(frame: FrameInput): Promise<string>;
  bench(frames: number): Promise<number>;
};

export type VisemesProbe =
  | { ep: string; frames: { index: number; viseme: string; probs: number[] }[]; warmupMs: number; computeMs: number; seconds: number }
  | { error: string; code: string };

declare global {
  interface Window {
    __tic?: TicTestHooks;
  }
}

/** Installs one probe on `window.__tic`; returns the function that removes it again. */
export function exposeTestHook<K extends keyof TicTestHooks>(key: K, value: TicTestHooks[K]): () => void {
  const hooks = (window.__tic ??= {});
  hooks[key] = value;
  return () => {
    if (window.__tic?.[key] === value) delete window.__tic[key];
  };
}

/** base64 of a byte array, chunked so large frames do not overflow the argument stack. */
export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
