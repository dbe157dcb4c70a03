import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BASE_FLAGS, CHROMIUM, WEBGPU_FLAGS } from "./chromium";

// Chromium's fake microphone plays a WAV file in a loop (--use-file-for-fake-audio-capture). The
// questions are spoken by espeak-ng when the spec loads (the browser is launched with the file), with
// silence around and between them long enough for the avatar to answer each before the next.

/** PCM16 mono samples and their rate from a WAV file (espeak-ng writes 22.05 kHz PCM16 mono). */
function readWav(bytes: Buffer): { rate: number; pcm: Buffer } {
  if (bytes.toString("ascii", 0, 4) !== "RIFF" || bytes.toString("ascii", 8, 12) !== "WAVE") throw new Error("not a WAV file");
  let rate = 0;
  for (let o = 12; o + 8 <= bytes.length; ) {
    const id = bytes.toString("ascii", o, o + 4);
    const size = bytes.readUInt32LE(o + 4);
    if (id === "fmt ") rate = bytes.readUInt32LE(o + 12);
    if (id === "data") return { rate, pcm: bytes.subarray(o + 8, Math.min(bytes.length, o + 8 + size)) };
    o += 8 + size + (size % 2);
  }
  throw new Error("WAV without a data chunk");
}

function wavFile(rate: number, pcm: Buffer): Buffer {
  const h = Buffer.alloc(44);
  h.write("RIFF", 0, "ascii");
  h.writeUInt32LE(36 + pcm.length, 4);
  h.write("WAVEfmt ", 8, "ascii");
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write("data", 36, "ascii");
  h.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([h, pcm]);
}

/** Writes `questions` spoken by espeak-ng into one WAV: lead silence, each question then `gapS` of silence, a long tail. */
export function questionsWav(path: string, questions: string[], o: { leadS: number; gapS: number; tailS: number }): { durationS: number } {
  const dir = mkdtempSync(join(tmpdir(), "tic-mic-"));
  try {
    const parts = questions.map((q, i) => {
      const file = join(dir, `q${i}.wav`);
      execFileSync("espeak-ng", ["-v", "en-us", "-s", "150", "-w", file, q]);
      return readWav(readFileSync(file));
    });
    const rate = parts[0]!.rate;
    const silence = (s: number) => Buffer.alloc(Math.round(s * rate) * 2);
    const pcm = Buffer.concat([silence(o.leadS), ...parts.flatMap((p, i) => [p.pcm, silence(i === parts.length - 1 ? o.tailS : o.gapS)])]);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, wavFile(rate, pcm));
    return { durationS: pcm.length / 2 / rate };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Launch options for a Chromium whose microphone is `wavPath` (and needs no permission prompt). */
export function fakeMicrophoneLaunch(wavPath: string) {
  return {
    executablePath: CHROMIUM,
    args: [...BASE_FLAGS, ...WEBGPU_FLAGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-audio-capture=${wavPath}`, "--autoplay-policy=no-user-gesture-required"],
  };
}
