/**
 * `window.ticDemo`: a read-only inspection hook on the demo page, in the spirit of the render lab's.
 * It returns the frame the renderer is showing, read back from the render worker (a WebGPU canvas
 * owned by a worker cannot be read from the page, and headless screenshots do not show it).
 */
export type DemoSnapshot = {
  /** Audio position (seconds) when the frame was requested; -1 before the first play. */
  t: number;
  tier: string;
  width: number;
  height: number;
  /** RGBA bytes, base64 (the hook crosses into test drivers and devtools as JSON). */
  rgba: string;
};

export type DemoInspectHook = { snapshot(): Promise<DemoSnapshot> };

declare global {
  interface Window {
    ticDemo?: DemoInspectHook;
  }
}

/** base64 of a byte array, chunked so large frames do not overflow the argument stack. */
export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
