import { openMicrophone } from "@/packages/sdk/src/realtime/microphone";
import { pcm16ToFloat32 } from "@/packages/sdk/src";
import type { LipsyncSource } from "../_stage/lipsync";
import { openMouthStream } from "../_stage/lipsync";
import type { RenderClient } from "@/workers/render/render-client";
import { wallMs } from "@/workers/render/render-client";

// Audio mode: the page's own audio (an <audio>/<video> element, a WebRTC track, any MediaStream)
// is tapped on the page's AudioContext, analysed by the in-browser viseme model (the lipsync
// worker, one per page) and drawn by the renderer. Nothing leaves the browser.

const RATE = 16_000;

export type AudioTap = { stop(): void };

/** Starts lipsyncing `source` onto `client`; the tap runs until stop(). */
export async function tapAudio(o: { source: MediaStream | HTMLMediaElement; audioContext: AudioContext; client: RenderClient; lipsync: LipsyncSource; onKeys: (n: number) => void }): Promise<AudioTap> {
  const stream = o.source instanceof MediaStream ? o.source : captureOf(o.source);
  const mouth = await openMouthStream(RATE, o.lipsync);
  let samples = 0;
  // Frames come in order, VISEME_FPS per second of tapped audio: the n-th is due at n / fps.
  let emitted = 0;
  let chain: Promise<void> = Promise.resolve();
  // The avatar clock is the tapped audio's sample count; keys are posted as the model returns them.
  const mic = await openMicrophone({
    audioContext: o.audioContext,
    sampleRate: RATE,
    frameMs: 40,
    stream,
    onFrame: (pcm) => {
      samples += pcm.length;
      const at = samples / RATE;
      const f32 = pcm16ToFloat32(pcm) as Float32Array<ArrayBuffer>;
      chain = chain.then(async () => {
        const frames = await mouth.push(f32);
        if (!frames.length) return;
        const first = emitted;
        emitted += frames.length;
        o.client.mouth(frames.map((f, i) => ({ t: (first + i) / mouth.fps, mouth: f.mouth })), { t: at, wallMs: wallMs() });
        o.onKeys(frames.length);
      }).catch(() => undefined);
    },
  });
  return {
    stop() {
      mic.stop();
      void chain.then(() => mouth.end()).catch(() => undefined);
      o.client.rest();
    },
  };
}

// One capture per element: Chromium silences an element's earlier captureStream() streams when it is
// captured again, so every avatar attached to the same element taps the same stream.
const captures = new WeakMap<HTMLMediaElement, MediaStream>();

function captureOf(el: HTMLMediaElement): MediaStream {
  const had = captures.get(el);
  if (had?.active) return had;
  const capture = el as HTMLMediaElement & { captureStream?: () => MediaStream; mozCaptureStream?: () => MediaStream };
  const fn = capture.captureStream ?? capture.mozCaptureStream;
  if (!fn) throw new Error("this browser cannot tap a media element (no captureStream); pass a MediaStream");
  const stream = fn.call(el);
  captures.set(el, stream);
  return stream;
}
