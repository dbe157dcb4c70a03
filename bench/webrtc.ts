/**
 * npm run bench:webrtc — response latency of the same spoken questions over WebRTC and over the
 * WebSocket, in one run, against one server (the /api/v1 handlers and the production session upgrade
 * in a child process, as bench:conversation runs it; a fresh PostgreSQL database; a test key: FAQ
 * responder, embedded pocketsphinx, espeak-ng, server_vad with silence_duration_ms 400).
 *   websocket  last speech sample sent (binary PCM16, 20 ms frames at real time) → first avatar
 *              audio record received on the socket
 *   webrtc     last speech sample sent (the Opus microphone track of a libwebrtc Node peer,
 *              10 ms frames) → first audible 10 ms block of the avatar's voice track (what a
 *              browser plays: it includes the jitter buffer); and → first audio record on the data channel
 * measureTransportLatency() is exported for bench:widget, which runs it against its own server.
 * The world (database, avatar, server child process) is bench/live-bench-world.ts, as bench:conversation's.
 * Env: BENCH_PG_ADMIN_URL (default the test server), BENCH_WEBRTC_QUESTIONS (10 per transport).
 */
import { cpus, loadavg } from "node:os";
import WebSocket from "ws";
import { MuxReader } from "@/core/mux";
import type { ServerEvent } from "@/core/realtime/session-events";
import { openLiveBenchWorld, type LiveBenchWorld } from "./live-bench-world";

const RATE = 16_000;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil(xs.length * p) - 1))] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export type LatencyFigures = { p50: number; p95: number; n: number; samples: number[] };
export type TransportLatency = { websocket: LatencyFigures; webrtc: LatencyFigures; webrtcDataChannel: LatencyFigures; failures: string[] };
export type LatencyTarget = {
  /** The server's origin (http://host:port): POST /api/v1/realtime/sessions and the session sockets. */
  origin: string;
  apiKey: string;
  avatarId: string;
  /** PCM16 mono at 16 kHz, each a spoken question with nothing after its last speech sample. */
  questions: Int16Array[];
};

const figures = (xs: number[]): LatencyFigures => ({ p50: Math.round(pct(xs, 0.5)), p95: Math.round(pct(xs, 0.95)), n: xs.length, samples: xs.map(Math.round) });

async function create(t: LatencyTarget, transport: unknown) {
  const res = await fetch(`${t.origin}/api/v1/realtime/sessions`, {
    method: "POST",
    headers: { authorization: `Bearer ${t.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ outputModality: "audio", avatar_id: t.avatarId, input: "voice", turn_detection: { type: "server_vad", silence_duration_ms: 400 }, transport }),
  });
  if (res.status !== 201) throw new Error(`create answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { url: string; client_secret: { value: string }; transport: { type: string; sdp?: string } };
}

/** One WebSocket session: each question streamed at real time; the first audio record after its last sample. */
async function overSocket(t: LatencyTarget): Promise<number[]> {
  const body = await create(t, { type: "websocket" });
  const url = new URL(body.url);
  url.host = new URL(t.origin).host;
  url.searchParams.set("token", body.client_secret.value);
  const ws = new WebSocket(url);
  const reader = new MuxReader();
  const log: { at: number; type: string }[] = [];
  ws.on("message", (data, isBinary) => {
    const at = performance.now();
    if (!isBinary) return void log.push({ at, type: (JSON.parse(String(data)) as ServerEvent).type });
    for (const rec of reader.push(new Uint8Array(data as Buffer))) if (rec.kind === "audio") log.push({ at, type: "audio" });
  });
  await new Promise<void>((done, fail) => (ws.once("open", () => done()), ws.once("error", fail)));
  ws.send(JSON.stringify({ type: "audio_config", sample_rate: RATE, channel_count: 1 }));
  const out: number[] = [];
  const silenceFrame = Buffer.alloc((RATE / 50) * 2);
  for (const q of t.questions) {
    const bytes = Buffer.from(q.buffer, q.byteOffset, q.byteLength);
    const t0 = performance.now();
    let sent = 0;
    for (let i = 0; i < bytes.length; i += silenceFrame.length) {
      ws.send(bytes.subarray(i, i + silenceFrame.length));
      sent++;
      await sleep(t0 + sent * 20 - performance.now());
    }
    const lastSample = performance.now();
    // The microphone goes on streaming silence, as a browser's does, until the answer is done.
    const from = log.length;
    for (let k = 0; k < 1500 && !log.slice(from).some((e) => e.type === "response.done"); k++) {
      ws.send(silenceFrame);
      await sleep(20);
    }
    const first = log.slice(from).find((e) => e.type === "audio");
    if (first) out.push(first.at - lastSample);
  }
  ws.close(1000);
  return out;
}

/** One WebRTC session (a libwebrtc Node peer): the first audible voice block, and the first data-channel audio record, after each question. */
async function overPeer(t: LatencyTarget): Promise<{ track: number[]; channel: number[] }> {
  const { PeerClient } = await import("@/server/services/live-sessions/webrtc/testing/peer-client");
  const peer = new PeerClient();
  const reader = new MuxReader();
  const audioAt: number[] = [];
  let seen = 0;
  try {
    const body = await create(t, { type: "webrtc", sdp: await peer.offer() });
    await peer.accept(body.transport.sdp!);
    await peer.opened;
    await peer.next("session.created", 30_000);
    const track: number[] = [];
    const channel: number[] = [];
    const noteAudio = () => {
      for (; seen < peer.binaries.length; seen++) if (reader.push(peer.binaries[seen]!).some((r) => r.kind === "audio")) audioAt.push(performance.now());
    };
    const poll = setInterval(noteAudio, 5);
    for (const q of t.questions) {
      const before = peer.events.filter((e) => e.type === "response.done").length;
      await peer.speak(q, RATE);
      const lastSample = peer.lastSpokenAt;
      for (let k = 0; k < 1500 && peer.events.filter((e) => e.type === "response.done").length <= before; k++) await sleep(20);
      const heard = peer.voiceAfter(lastSample);
      if (heard) track.push(heard - lastSample);
      const record = audioAt.find((a) => a > lastSample);
      if (record) channel.push(record - lastSample);
      await sleep(300);
    }
    clearInterval(poll);
    return { track, channel };
  } finally {
    peer.close();
  }
}

/** Response latency of the same questions over both transports, in one run (WebSocket first, then WebRTC). */
/** The bench's first `n` questions as PCM16 at 16 kHz, each cut after its last speech sample (espeak-ng ends with silence of its own), so "sent" is the speech's end. */
export async function benchQuestions(n: number): Promise<{ texts: string[]; questions: Int16Array[] }> {
  const { BENCH_QUESTIONS } = await import("@/server/services/speech/testing/bench-questions");
  const { spoken, silence, joinPcm, soundBounds } = await import("@/server/services/speech/testing/speech-audio");
  const texts = BENCH_QUESTIONS.slice(0, n);
  const questions = await Promise.all(
    texts.map(async (q) => {
      const speech = await spoken(q, RATE);
      const end = soundBounds(speech, RATE)?.endMs ?? (speech.length * 1000) / RATE;
      return joinPcm(silence(200), speech.subarray(0, Math.ceil((end * RATE) / 1000)));
    }),
  );
  return { texts, questions };
}

/** Prints the figures of measureTransportLatency() (bench:webrtc and bench:widget print them alike). */
export function printTransportLatency(r: TransportLatency, n: number): void {
  const line = (name: string, f: LatencyFigures) => console.log(`  ${name.padEnd(36)} p50 ${String(f.p50).padStart(5)} ms  p95 ${String(f.p95).padStart(5)} ms  (n=${f.n})`);
  console.log(`response latency, the same ${n} questions over each transport (last speech sample sent → first avatar audio at the client):`);
  line("websocket (first audio record)", r.websocket);
  line("webrtc (first audible track block)", r.webrtc);
  line("webrtc (first data-channel record)", r.webrtcDataChannel);
  for (const f of r.failures) console.log(`  failed: ${f}`);
}

export async function measureTransportLatency(t: LatencyTarget): Promise<TransportLatency> {
  const failures: string[] = [];
  const socket = await overSocket(t).catch((e: unknown) => (failures.push(`websocket: ${String(e)}`), []));
  const peer = await overPeer(t).catch((e: unknown) => (failures.push(`webrtc: ${String(e)}`), { track: [], channel: [] }));
  return { websocket: figures(socket), webrtc: figures(peer.track), webrtcDataChannel: figures(peer.channel), failures };
}

async function main() {
  const n = Number(process.env.BENCH_WEBRTC_QUESTIONS ?? 10);
  const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");
  console.log(`bench:webrtc ${new Date().toISOString()}  load average at start: ${load()} (${cpus().length} cores, shared)`);
  let world: LiveBenchWorld | null = null;
  try {
    const { texts, questions } = await benchQuestions(n);
    world = await openLiveBenchWorld({ name: "webrtc", knowledge: texts.map((q, i) => ({ question: q, answer: `Here is answer number ${i + 1}.` })) });
    const r = await measureTransportLatency({ origin: world.origin, apiKey: world.apiKey, avatarId: world.avatarId, questions });
    printTransportLatency(r, n);
    console.log(`load average at end: ${load()}`);
  } finally {
    await world?.close();
  }
  process.exit(0);
}

if (process.argv[1]?.endsWith("webrtc.ts")) void main();
