/** Rules shared by encoder and decoder so both sides agree on what a valid record is. */

export const ERROR_CODE_PATTERN = /^[a-z0-9_.]+$/;

/** Presentation time of video/motion frame `frame`: exact integer math on the audio clock. */
export function framePts(frame: number, sampleRate: number, fps: number): number {
  return Math.floor((frame * sampleRate) / fps);
}

/** Index of the first frame whose pts is >= `samples` (frames shown by the time audio reaches it). */
export function framesUntil(samples: number, sampleRate: number, fps: number): number {
  return Math.ceil((samples * fps) / sampleRate);
}

/** I420 size for w x h (chroma planes round up for odd sizes). */
export function i420Bytes(width: number, height: number): number {
  return width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
}

/** Null when `data` is plausible for the codec, else why not. */
export function expectedVideoBytes(codec: string, width: number, height: number, data: Uint8Array): string | null {
  if (codec === "i420") {
    const want = i420Bytes(width, height);
    return data.length === want ? null : `i420 ${width}x${height} needs ${want} bytes, got ${data.length}`;
  }
  if (codec === "jpeg") {
    return data.length >= 4 && data[0] === 0xff && data[1] === 0xd8 ? null : "jpeg data must start with SOI (ff d8)";
  }
  return `unknown video codec ${codec}`;
}
