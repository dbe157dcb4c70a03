import { framesUntil, MuxWriter, type Bytes, type MuxMouthParams } from "@/core/mux";

/** A mouth-parameter track as the lipsync worker produces it: one entry per `fps` frame. */
export interface MouthTrack {
  fps: number;
  mouth: MuxMouthParams[];
  /** Dominant viseme index per frame (optional). */
  visemes?: number[];
}

export interface DemoTurnInput {
  /** Mono PCM, -1..1. */
  pcm: Float32Array;
  sampleRate: number;
  track: MouthTrack;
  /** Motion frames per second in the mux (the track is resampled to it). */
  fps?: number;
  avatarId?: string;
  /** Audio samples per record, like a TTS chunk. */
  chunkSamples?: number;
}

const clamp01 = (v: number) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);

/**
 * Packs a locally analysed clip into the avatar mux, so the demo plays through exactly the path a
 * realtime turn takes (AvatarPlayer reading records on the audio clock), with no server involved.
 */
export function buildDemoTurn(input: DemoTurnInput): { parts: Bytes[]; totalSamples: number; frames: number } {
  const { pcm, sampleRate, track } = input;
  const fps = input.fps ?? 50;
  const chunk = input.chunkSamples ?? Math.round(sampleRate / 5);
  const w = new MuxWriter({ sampleRate, fps, width: 0, height: 0, videoCodec: "none", avatarId: input.avatarId ?? "demo", manifestId: null, manifestVersion: 0 });
  const parts: Bytes[] = [w.start(), w.state("speaking", 0)];
  let frame = 0;
  for (let at = 0; at < pcm.length; at += chunk) {
    const n = Math.min(chunk, pcm.length - at);
    const pcm16 = new Int16Array(n);
    for (let i = 0; i < n; i++) pcm16[i] = Math.round(clamp01((pcm[at + i]! + 1) / 2) * 65_535 - 32_768);
    parts.push(w.audio(pcm16));
    // Frames whose time this chunk's audio covers go right after it: pictures never wait on the network.
    for (const end = framesUntil(at + n, sampleRate, fps); frame < end; frame++) {
      const src = Math.min(track.mouth.length - 1, Math.floor((frame / fps) * track.fps));
      const m = track.mouth[src];
      const mouth = m
        ? { jawOpen: clamp01(m.jawOpen), lipWidth: clamp01(m.lipWidth), pucker: clamp01(m.pucker), lipsPressed: clamp01(m.lipsPressed), upperLipRaise: clamp01(m.upperLipRaise) }
        : { jawOpen: 0, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 };
      parts.push(w.motion(frame, mouth, track.visemes?.[src] ?? 255));
    }
    parts.push(w.usage());
  }
  parts.push(w.state("idle", w.position), w.end());
  return { parts, totalSamples: w.position, frames: frame };
}

/** The parts as a byte stream, the shape a fetch body has. */
export function streamOf(parts: Bytes[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < parts.length) controller.enqueue(parts[i++]!);
      else controller.close();
    },
  });
}
