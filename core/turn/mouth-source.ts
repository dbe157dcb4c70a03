import { VISEME_FPS, VisemeStream, type VisemeFrame } from "../visemes/engine";
import type { MouthParams } from "../visemes/mouth-params";
import type { VisemeModelRunner } from "../visemes/runner";
import { VISEMES } from "../visemes/visemes";

/** One step of a mouth track: the mouth shape and its viseme's index in VISEMES. */
export type TrackFrame = { mouth: MouthParams; viseme: number };

/**
 * Where a speech timeline gets its mouth track: push audio, get the track frames that became known
 * (the viseme model needs lookahead, so they lag the audio); `end` flushes the rest. The server runs
 * the model in-process (visemeMouthSource); the browser runs the same engine in the lipsync worker.
 */
export interface MouthSource {
  /** Frames per second of the track. */
  readonly fps: number;
  /** Takes ownership of `pcm` (a worker may receive it transferred). */
  push(pcm: Float32Array<ArrayBuffer>): Promise<TrackFrame[]>;
  end(): Promise<TrackFrame[]>;
  /** The turn stopped before `end`: free what the source holds for it. */
  dispose?(): void;
}

/** A mouth source running the viseme engine in this thread. */
export function visemeMouthSource(runner: VisemeModelRunner, sampleRate: number): MouthSource {
  const stream = new VisemeStream(runner, sampleRate);
  return { fps: VISEME_FPS, push: async (pcm) => trackOf(await stream.push(pcm)), end: async () => trackOf(await stream.end()) };
}

/** The engine's frames as a mouth track. */
export function trackOf(frames: readonly Pick<VisemeFrame, "mouth" | "viseme">[]): TrackFrame[] {
  return frames.map((f) => ({ mouth: f.mouth, viseme: VISEMES.indexOf(f.viseme) }));
}
