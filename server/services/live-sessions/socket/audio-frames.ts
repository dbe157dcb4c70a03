import "server-only";

// Client audio at the socket edge: PCM16 mono little-endian, from binary frames or base64 appends.

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export type AudioDecode = { ok: true; pcm: Int16Array } | { ok: false; message: string };

/** PCM16 samples of a frame's bytes; an odd byte count cannot be PCM16. */
export function pcmFromBytes(bytes: Uint8Array): AudioDecode {
  if (bytes.byteLength === 0 || bytes.byteLength % 2 !== 0) {
    return { ok: false, message: `Audio must be PCM16 mono (2 bytes a sample); got ${bytes.byteLength} bytes.` };
  }
  // Copied so the samples are aligned and little-endian regardless of the frame's buffer.
  const pcm = new Int16Array(bytes.byteLength / 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < pcm.length; i++) pcm[i] = view.getInt16(i * 2, true);
  return { ok: true, pcm };
}

/** PCM16 samples of an `input_audio_buffer.append`'s base64 `audio`. */
export function pcmFromBase64(audio: string): AudioDecode {
  if (audio.length % 4 !== 0 || !BASE64.test(audio)) return { ok: false, message: "input_audio_buffer.append: audio must be base64 (standard alphabet, padded) of PCM16 mono." };
  return pcmFromBytes(Buffer.from(audio, "base64"));
}
