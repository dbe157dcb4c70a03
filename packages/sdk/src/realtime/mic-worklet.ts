import { createPcmResampler } from "./resampler";

/** The processor's registered name. */
export const MIC_PROCESSOR = "tic-mic-capture";

/**
 * Source of the capture AudioWorklet. A worklet is loaded from a URL; the SDK ships no separate
 * file for a bundler to find, so it builds the module from text (a Blob URL) — the resampler function
 * is the same code as in the main bundle, stringified, so what the unit tests check is what runs.
 * It posts one transferable Int16Array of `frameSamples` PCM16 samples per frame.
 */
export function micWorkletSource(): string {
  return `const createPcmResampler = ${createPcmResampler.toString()};
class TicMicCapture extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const o = options.processorOptions;
    this.resampler = createPcmResampler(sampleRate, o.outputRate);
    // The frame's length is kept apart from the frame: posting transfers (detaches) its buffer.
    this.frameSamples = o.frameSamples;
    this.frame = new Int16Array(this.frameSamples);
    this.filled = 0;
    this.on = true;
    this.port.onmessage = (e) => { if (e.data === "stop") this.on = false; };
  }
  process(inputs) {
    if (!this.on) return false;
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true;
    const pcm = this.resampler.process(channel);
    for (let i = 0; i < pcm.length; ) {
      const take = Math.min(pcm.length - i, this.frame.length - this.filled);
      this.frame.set(pcm.subarray(i, i + take), this.filled);
      this.filled += take;
      i += take;
      if (this.filled === this.frame.length) {
        this.port.postMessage(this.frame, [this.frame.buffer]);
        this.frame = new Int16Array(this.frameSamples);
        this.filled = 0;
      }
    }
    return true;
  }
}
registerProcessor(${JSON.stringify(MIC_PROCESSOR)}, TicMicCapture);
`;
}
