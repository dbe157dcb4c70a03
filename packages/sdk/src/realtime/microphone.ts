import { MIC_PROCESSOR, micWorkletSource } from "./mic-worklet";

export interface MicrophoneOptions {
  /** The page's AudioContext (the player's): capture runs on its graph at its rate. */
  audioContext: AudioContext;
  /** PCM16 rate the session expects. */
  sampleRate: number;
  /** Samples per frame sent (20–40 ms keeps latency low without flooding the 100 msg/s limit). */
  frameMs: number;
  /** A stream you already opened; by default getUserMedia with echo cancellation. */
  stream?: MediaStream;
  onFrame: (pcm: Int16Array) => void;
}

export interface Microphone {
  readonly stream: MediaStream;
  stop(): void;
}

// One module per context: addModule twice would register the processor twice and throw.
const loaded = new WeakMap<BaseAudioContext, Promise<void>>();

function loadWorklet(ctx: AudioContext): Promise<void> {
  let p = loaded.get(ctx);
  if (!p) {
    const url = URL.createObjectURL(new Blob([micWorkletSource()], { type: "text/javascript" }));
    p = ctx.audioWorklet.addModule(url).finally(() => URL.revokeObjectURL(url));
    loaded.set(ctx, p);
  }
  return p;
}

/** Opens the microphone and streams PCM16 mono frames at `sampleRate` through an AudioWorklet. */
export async function openMicrophone(o: MicrophoneOptions): Promise<Microphone> {
  const ctx = o.audioContext;
  // Echo cancellation keeps the avatar's own voice from the speakers out of the microphone (it would barge in on itself).
  const stream = o.stream ?? (await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true } }));
  await loadWorklet(ctx);
  const source = ctx.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(ctx, MIC_PROCESSOR, {
    numberOfInputs: 1,
    numberOfOutputs: 1,
    channelCount: 1,
    channelCountMode: "explicit",
    processorOptions: { outputRate: o.sampleRate, frameSamples: Math.round((o.sampleRate * o.frameMs) / 1000) },
  });
  node.port.onmessage = (e: MessageEvent<Int16Array>) => o.onFrame(e.data);
  // Connected to the destination through silence: a graph only pulls (runs) nodes that reach it.
  const mute = ctx.createGain();
  mute.gain.value = 0;
  source.connect(node);
  node.connect(mute);
  mute.connect(ctx.destination);
  return {
    stream,
    stop() {
      node.port.postMessage("stop");
      node.port.onmessage = null;
      source.disconnect();
      node.disconnect();
      mute.disconnect();
      // Only a stream we opened is ours to end.
      if (!o.stream) for (const t of stream.getTracks()) t.stop();
    },
  };
}
