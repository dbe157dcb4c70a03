/** Sample rate clips are decoded to: the viseme model's rate, and small enough to keep clips light. */
export const CLIP_SAMPLE_RATE = 16_000;
/** Longest clip analysed in the browser; longer uploads are cut (the page says so). */
export const CLIP_MAX_SECONDS = 30;

/** Decodes any audio the browser can (WAV, MP3, Ogg, WebM/Opus from the microphone) to 16 kHz mono. */
export async function decodeToMono(bytes: ArrayBuffer): Promise<{ pcm: Float32Array<ArrayBuffer>; sampleRate: number; truncated: boolean }> {
  // An OfflineAudioContext at 16 kHz makes decodeAudioData resample for us, off the page's output device.
  const ctx = new OfflineAudioContext({ numberOfChannels: 1, length: 1, sampleRate: CLIP_SAMPLE_RATE });
  const buffer = await ctx.decodeAudioData(bytes);
  const max = CLIP_MAX_SECONDS * CLIP_SAMPLE_RATE;
  const length = Math.min(buffer.length, max);
  const pcm = new Float32Array(length);
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const ch = buffer.getChannelData(c);
    for (let i = 0; i < length; i++) pcm[i]! += ch[i]! / buffer.numberOfChannels;
  }
  return { pcm, sampleRate: CLIP_SAMPLE_RATE, truncated: buffer.length > max };
}
