import "server-only";
import { spawn } from "node:child_process";
import { AppError } from "@/server/errors";
import { concatBytes, parseWavHeader, Pcm16Assembler } from "./pcm";

// espeak-ng as a subprocess. Text goes in on stdin (`--stdin`), never through a shell or argv, so
// nothing in it can be read as an option ("-v xx", "--version") or a shell construct. The WAV it
// writes to stdout is read as it arrives, so the first samples reach the caller while espeak-ng is
// still synthesizing the rest of the sentence.

const MISSING =
  "The embedded TTS needs espeak-ng, which is not installed on this server (or ESPEAK_NG_PATH is wrong): run `npm run setup` (installs Debian's espeak-ng).";

export type EspeakArgs = { voice: string; wpm: number; pitch: number; amplitude: number };

function missingOr(error: NodeJS.ErrnoException, binary: string): AppError {
  if (error.code === "ENOENT" || error.code === "EACCES") return new AppError("unavailable", MISSING, { retryable: false, cause: error });
  return new AppError("unavailable", `Could not start ${binary}: ${error.message}`, { retryable: true, cause: error });
}

/** Runs espeak-ng to completion and returns stdout as text (used for the voice listings). */
export function runEspeakText(binary: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr = (stderr + s).slice(-2000)));
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(missingOr(error, binary));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new AppError("unavailable", `${binary} ${args.join(" ")} failed (${signal ?? `exit ${code}`}): ${stderr.trim() || "no message"}`));
    });
  });
}

/**
 * Speaks one piece of text; yields PCM16 sample blocks (and their sample rate) as espeak-ng writes
 * them. Aborting `signal`, a timeout, or the consumer leaving the loop kills the process.
 */
export async function* streamEspeak(
  binary: string,
  args: EspeakArgs,
  text: string,
  options: { signal?: AbortSignal; timeoutMs: number },
): AsyncGenerator<{ pcm: Int16Array; sampleRate: number }> {
  const { signal, timeoutMs } = options;
  const argv = ["--stdout", "--stdin", "-b", "1", "-v", args.voice, "-s", String(args.wpm), "-p", String(args.pitch), "-a", String(args.amplitude)];
  const child = spawn(binary, argv, { stdio: ["pipe", "pipe", "pipe"] });
  let spawnError: NodeJS.ErrnoException | undefined;
  let stderr = "";
  let timedOut = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (code, sig) => resolve({ code, signal: sig }));
  });
  child.on("error", (error: NodeJS.ErrnoException) => (spawnError = error));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr = (stderr + s).slice(-2000)));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  // The timer runs only while we wait for espeak-ng, never while the consumer holds a chunk: a
  // turn that paces audio at real time keeps espeak-ng blocked on a full pipe, which is no hang.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
  };
  signal?.addEventListener("abort", kill, { once: true });
  // espeak-ng may die before reading stdin (bad voice): the EPIPE is reported through its exit code.
  child.stdin.on("error", () => undefined);
  child.stdin.end(text);

  const reads = (child.stdout as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  try {
    let head: Uint8Array = new Uint8Array(0);
    let sampleRate = 0;
    const samples = new Pcm16Assembler();
    for (;;) {
      arm();
      const next = await reads.next();
      clearTimeout(timer);
      // Bytes already in the pipe when the caller aborted are not delivered.
      if (signal?.aborted) throw signal.reason;
      if (next.done) break;
      const piece = next.value;
      let bytes: Uint8Array = piece;
      if (!sampleRate) {
        head = concatBytes(head, piece);
        const format = parseWavHeader(head);
        if (!format) continue;
        if (format.channels !== 1 || format.bitsPerSample !== 16) {
          throw new AppError("unavailable", `espeak-ng wrote ${format.channels}-channel ${format.bitsPerSample}-bit audio; expected mono PCM16.`);
        }
        sampleRate = format.sampleRate;
        bytes = head.subarray(format.dataOffset);
      }
      const pcm = samples.push(bytes);
      if (pcm.length > 0) yield { pcm, sampleRate };
    }
    const exit = await exited;
    if (signal?.aborted) throw signal.reason;
    if (spawnError) throw missingOr(spawnError, binary);
    if (timedOut) throw new AppError("unavailable", `espeak-ng produced nothing for ${timeoutMs} ms (TTS_TIMEOUT_MS) and was stopped.`, { retryable: true });
    if (exit.code !== 0) {
      throw new AppError("unavailable", `espeak-ng failed (${exit.signal ?? `exit ${exit.code}`}): ${stderr.trim() || "no message"}`, { retryable: false });
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", kill);
    kill();
    await reads.return?.();
  }
}
