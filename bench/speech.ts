/**
 * npm run bench:speech — the speech input of live sessions on this machine, with the embedded stack:
 *   VAD         Silero v5 CPU per second of audio (turn detector over every bench question + silence)
 *   onset       audio time from a question's first sound to speech_started being decided (barge-in
 *               confirmation), and the wall time from pushing that audio to the event
 *   end of turn audio time from the last sound to speech_stopped (silence_duration_ms 400 + the model)
 *   recogniser  wall time from speech_stopped to the final transcript, audio fed in real time (20 ms
 *               chunks) through the detector into pocketsphinx, as a live session does
 *   WER         pocketsphinx's word error rate on the bench questions (BENCH_QUESTIONS)
 * Env: BENCH_REALTIME=0 feeds as fast as possible (then the recogniser lags and latency grows).
 */
import { wordErrorRate } from "@/core/text/word-error-rate";
import { getEnv } from "@/server/env";
import { resetProcessState } from "@/server/process-state";
import { getSttProvider } from "@/server/services/speech/index";
import { createSpeechInput, type SpeechInputEvent } from "@/server/services/speech/speech-input";
import { BENCH_QUESTIONS } from "@/server/services/speech/testing/bench-questions";
import { joinPcm, silence, soundBounds, spoken } from "@/server/services/speech/testing/speech-audio";
import { createTurnDetector } from "@/server/services/speech/turn-detector";

const REALTIME = process.env.BENCH_REALTIME !== "0";
const TURN = { threshold: 0.5, silenceDurationMs: 400, prefixPaddingMs: 300, minSpeechMs: 120 };
const LEAD_MS = 600;
const CHUNK = 320; // 20 ms at 16 kHz

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const questions = await Promise.all(BENCH_QUESTIONS.map(async (q) => ({ text: q, pcm: await spoken(q) })));

  // VAD CPU: the detector alone, as fast as it goes.
  let audioMs = 0;
  const cpu0 = process.cpuUsage();
  for (const q of questions) {
    const d = await createTurnDetector(TURN, 16_000, () => undefined);
    const pcm = joinPcm(silence(LEAD_MS), q.pcm, silence(800));
    for (let i = 0; i < pcm.length; i += CHUNK) await d.push(pcm.subarray(i, i + CHUNK));
    audioMs += pcm.length / 16;
  }
  const cpu = process.cpuUsage(cpu0);
  const vadCpuPerSecond = (cpu.user + cpu.system) / 1000 / (audioMs / 1000);

  // The live path: detector → recogniser, audio in real time.
  const stt = getSttProvider(getEnv());
  const onset: number[] = [];
  const onsetWall: number[] = [];
  const endOfTurn: number[] = [];
  const final: number[] = [];
  const pairs: { reference: string; hypothesis: string }[] = [];
  // Warm-up: the recogniser processes load their model (~0.5 s) before the first question.
  const warm = stt.open({ language: "en", sampleRate: 16_000 });
  warm.push(silence(200));
  await warm.finish();
  for (const q of questions) {
    const bounds = soundBounds(q.pcm)!;
    const pcm = joinPcm(silence(LEAD_MS), q.pcm, silence(900));
    let pushedAt = 0;
    let done: (e: Extract<SpeechInputEvent, { type: "transcript_completed" }>) => void = () => undefined;
    const completed = new Promise<Extract<SpeechInputEvent, { type: "transcript_completed" }>>((r) => (done = r));
    const input = await createSpeechInput({
      stt,
      language: "en",
      sampleRate: 16_000,
      turnDetection: TURN,
      onEvent: (e) => {
        if (e.type === "speech_started") {
          onset.push(e.confirmedAtMs - (LEAD_MS + bounds.startMs));
          onsetWall.push(performance.now() - pushedAt);
        } else if (e.type === "speech_stopped") endOfTurn.push(e.stoppedAtMs - (LEAD_MS + bounds.endMs));
        else if (e.type === "transcript_completed") done(e);
        else if (e.type === "transcript_failed") throw e.error;
      },
    });
    const t0 = performance.now();
    for (let i = 0; i < pcm.length; i += CHUNK) {
      if (REALTIME) {
        const due = t0 + (i / 16_000) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      }
      pushedAt = performance.now();
      await input.push(pcm.subarray(i, i + CHUNK));
    }
    const result = await completed;
    final.push(result.afterStopMs);
    pairs.push({ reference: q.text, hypothesis: result.text });
    input.close();
  }
  await resetProcessState();

  const line = (name: string, xs: number[], unit = "ms") => console.log(`${name.padEnd(44)} p50 ${String(pct(xs, 50)).padStart(5)} ${unit}   p95 ${String(pct(xs, 95)).padStart(5)} ${unit}   max ${Math.max(...xs)} ${unit}`);
  console.log(`speech input bench: ${questions.length} espeak-ng questions, silence_duration_ms ${TURN.silenceDurationMs}, min_speech_ms ${TURN.minSpeechMs}, ${REALTIME ? "real-time feed" : "fast feed"}`);
  console.log(`VAD (Silero v5, onnxruntime-node, 1 thread)     ${vadCpuPerSecond.toFixed(1)} ms CPU per second of audio`);
  line("onset → speech_started (audio time)", onset);
  line("onset audio pushed → speech_started (wall)", onsetWall.map((x) => Math.round(x)));
  line("last sound → speech_stopped (audio time)", endOfTurn);
  line("speech_stopped → final transcript (wall)", final);
  console.log(`pocketsphinx WER on the bench questions         ${(wordErrorRate(pairs) * 100).toFixed(1)} %`);
  if (process.env.BENCH_VERBOSE) for (const p of pairs) console.log(`  ${p.reference}  →  ${p.hypothesis}`);
}

await main();
