import { framesUntil, MuxWriter, type MuxMouthParams } from "@/core/mux";

/** A streaming mouth-track source: push PCM, get the frames that became ready (the lipsync worker). */
export interface MouthFrameStream {
  /** Frames per second of the frames it returns. */
  readonly fps: number;
  push(pcm: Float32Array<ArrayBuffer>): Promise<{ index: number; mouth: MuxMouthParams; viseme: number }[]>;
  end(): Promise<{ index: number; mouth: MuxMouthParams; viseme: number }[]>;
}

const REST: MuxMouthParams = { jawOpen: 0, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 };
const clamp01 = (v: number) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);

/**
 * Streams a clip as an avatar mux while the viseme model analyses it: each pull feeds the next
 * chunk to the model, writes its audio, then every motion frame whose mouth shape is known. The
 * player starts after the first chunk instead of after the whole clip, exactly as it would on a
 * realtime turn arriving over the network.
 */
export function streamTurn(input: { pcm: Float32Array; sampleRate: number; mouth: MouthFrameStream; fps?: number; chunkSeconds?: number; avatarId?: string }): ReadableStream<Uint8Array> {
  const { pcm, sampleRate, mouth } = input;
  const fps = input.fps ?? 50;
  const chunk = Math.round(sampleRate * (input.chunkSeconds ?? 0.25));
  const w = new MuxWriter({ sampleRate, fps, width: 0, height: 0, videoCodec: "none", avatarId: input.avatarId ?? "demo", manifestId: null, manifestVersion: 0 });
  const track: { mouth: MuxMouthParams; viseme: number }[] = [];
  let at = 0;
  let frame = 0;
  let started = false;
  let done = false;

  const take = (frames: { index: number; mouth: MuxMouthParams; viseme: number }[]) => {
    for (const f of frames) track[f.index] = { mouth: f.mouth, viseme: f.viseme };
  };
  /** Motion records up to `until` (exclusive), as far as the track is known (or all, at the end). */
  const motion = (until: number, final: boolean): Uint8Array[] => {
    const out: Uint8Array[] = [];
    for (; frame < until; frame++) {
      const src = Math.floor((frame / fps) * mouth.fps);
      if (!final && src >= track.length) break;
      const m = track[Math.min(src, track.length - 1)] ?? { mouth: REST, viseme: 255 };
      const p = m.mouth;
      out.push(w.motion(frame, { jawOpen: clamp01(p.jawOpen), lipWidth: clamp01(p.lipWidth), pucker: clamp01(p.pucker), lipsPressed: clamp01(p.lipsPressed), upperLipRaise: clamp01(p.upperLipRaise) }, m.viseme));
    }
    return out;
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (done) return;
        if (!started) {
          started = true;
          controller.enqueue(w.start());
          controller.enqueue(w.state("speaking", 0));
        }
        if (at < pcm.length) {
          const n = Math.min(chunk, pcm.length - at);
          const piece = pcm.slice(at, at + n); // a copy: the worker takes ownership of what it is sent
          take(await mouth.push(piece.slice()));
          const pcm16 = new Int16Array(n);
          for (let i = 0; i < n; i++) pcm16[i] = Math.round(clamp01((piece[i]! + 1) / 2) * 65_535 - 32_768);
          controller.enqueue(w.audio(pcm16));
          at += n;
          for (const r of motion(framesUntil(at, sampleRate, fps), false)) controller.enqueue(r);
          controller.enqueue(w.usage());
          return;
        }
        take(await mouth.end());
        for (const r of motion(framesUntil(at, sampleRate, fps), true)) controller.enqueue(r);
        controller.enqueue(w.state("idle", w.position));
        controller.enqueue(w.end());
        done = true;
        controller.close();
      },
      cancel() {
        // The player stopped early: close the worker's stream so it does not hold its state.
        if (done) return;
        done = true;
        void mouth.end().catch(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
}
