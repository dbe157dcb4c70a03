/**
 * npm run bench:conversation — live conversations over the real socket path, in one run:
 * a server child process (server/http/bench/conversation-server-main.ts: the /api/v1 route handlers
 * behind node:http and the production session upgrade handler on the same server, as next-server.mjs
 * wires it; no `next build` needed) on a fresh PostgreSQL database. Each session is created with
 * POST /api/v1/realtime/sessions over HTTP (a test key: FAQ responder), then a `ws` client connects
 * with the client secret and streams espeak-ng questions (BENCH_QUESTIONS) as binary PCM16 in 20 ms
 * chunks at real time; server_vad with silence_duration_ms 400, embedded pocketsphinx, espeak-ng TTS.
 *   response   last speech sample sent → first avatar audio record received, p50/p95, with the
 *              breakdown from the events the client sees: end-of-turn detection (→ speech_stopped),
 *              recogniser final (→ transcription.completed), first LLM sentence (→ first
 *              response.text.delta), first TTS audio + pipeline (→ first binary audio record)
 *   barge-in   speech onset of a question spoken while the avatar answers → response.interrupted
 *   WER        the recogniser's word error rate on the questions
 *   sessions   N sessions at once, each asking a question every 10 s, N stepping up until p95 passes
 *              1.5 s or N reaches BENCH_MAX_SESSIONS; server CPU ms per session-minute from
 *              /proc: the server process and its descendants (pocketsphinx drivers, espeak-ng), live and reaped
 * Env: BENCH_PG_ADMIN_URL (default the test server), BENCH_QUESTIONS_N (20), BENCH_MAX_SESSIONS (30),
 * BENCH_SESSION_STEP (5), BENCH_STEP_ROUNDS (questions per session per step, 2).
 */
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import WebSocket from "ws";
import { MuxReader } from "@/core/mux";
import type { ServerEvent } from "@/core/realtime/session-events";
import { openLiveBenchWorld, type LiveBenchWorld } from "./live-bench-world";

const QUESTIONS_N = Number(process.env.BENCH_QUESTIONS_N ?? 20);
const MAX_SESSIONS = Number(process.env.BENCH_MAX_SESSIONS ?? 30);
const STEP = Number(process.env.BENCH_SESSION_STEP ?? 5);
const ROUNDS = Number(process.env.BENCH_STEP_ROUNDS ?? 2);
const PERIOD_MS = 10_000;
const RATE = 16_000;
const CHUNK = RATE / 50; // 20 ms

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil(xs.length * p) - 1))]!;
const fmt = (xs: number[]) => (xs.length ? `p50 ${pct(xs, 0.5).toFixed(0).padStart(5)} ms  p95 ${pct(xs, 0.95).toFixed(0).padStart(5)} ms  (n=${xs.length})` : "n=0");
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Mux stream errors the clients' readers raised (one per session at most). */
const streamErrors: string[] = [];

type Logged = { at: number; e: ServerEvent | { type: "audio" } };

/** A socket client that timestamps every event and every avatar audio record as it arrives. */
class Client {
  readonly log: Logged[] = [];
  private readonly reader = new MuxReader();
  private streamError: string | null = null;
  readonly opened: Promise<void>;
  constructor(readonly ws: WebSocket) {
    ws.on("message", (data, isBinary) => {
      const at = performance.now();
      if (!isBinary) return void this.log.push({ at, e: JSON.parse(String(data)) as ServerEvent });
      if (this.streamError) return void this.log.push({ at, e: { type: "audio" } });
      try {
        for (const rec of this.reader.push(new Uint8Array(data as Buffer))) if (rec.kind === "audio") this.log.push({ at, e: { type: "audio" } });
      } catch (error) {
        // The strict reader (the SDK player's rules) refused the session's stream: counted and
        // reported; from here every binary frame counts as audio so the timings go on.
        this.streamError = String(error instanceof Error ? error.message : error);
        streamErrors.push(this.streamError);
        this.log.push({ at, e: { type: "audio" } });
      }
    });
    ws.on("error", () => undefined);
    this.opened = new Promise((done, fail) => {
      ws.once("open", () => done());
      ws.once("unexpected-response", (_q, res) => fail(new Error(`handshake answered ${res.statusCode}`)));
    });
  }
  after(from: number, type: string, notBefore = 0) {
    for (let i = from; i < this.log.length; i++) if (this.log[i]!.e.type === type && this.log[i]!.at >= notBefore) return { ...this.log[i]!, index: i };
    return null;
  }
  async waitFor(from: number, type: string, timeoutMs = 20_000) {
    const end = performance.now() + timeoutMs;
    for (;;) {
      const found = this.after(from, type);
      if (found || performance.now() > end) return found;
      await sleep(5);
    }
  }
  /** Streams `lead + speech + tail` at real time in 20 ms binary frames; when the first and last sound went out. */
  async talk(clip: Clip) {
    const { pcm, soundFrom, soundTo } = clip;
    const t0 = performance.now();
    let onset = 0;
    let last = 0;
    for (let at = 0, i = 0; at < pcm.length; at += CHUNK, i++) {
      const piece = pcm.subarray(at, at + CHUNK);
      this.ws.send(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
      const end = at + CHUNK;
      if (!onset && end > soundFrom) onset = performance.now();
      if (!last && end >= soundTo) last = performance.now();
      await sleep(t0 + (i + 1) * 20 - performance.now());
    }
    return { onset, last };
  }
}

type Clip = { text: string; pcm: Int16Array; soundFrom: number; soundTo: number };

/** utime+stime+cutime+cstime (clock ticks) of `root` and every live descendant: the server, its long-lived recognisers, its TTS processes. */
function treeTicks(root: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // Fields after the ")" of comm: ppid is field 4; utime 14, stime 15, cutime 16, cstime 17.
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      // exited while listed
    }
  }
  let total = 0;
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    total += stats.get(pid)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) todo.push(child);
  }
  return total;
}
const TICK_MS = 10; // USER_HZ is 100 on Linux

async function main() {
  const started = new Date();
  console.log(`bench:conversation ${started.toISOString()}  load average at start: ${load()} (${(await import("node:os")).cpus().length} cores, shared)`);
  let world: LiveBenchWorld | null = null;
  try {
    const { BENCH_QUESTIONS } = await import("@/server/services/speech/testing/bench-questions");
    const { spoken, silence, joinPcm, soundBounds } = await import("@/server/services/speech/testing/speech-audio");
    const { wordErrorRate } = await import("@/core/text/word-error-rate");
    // Answers long enough (~6 s of speech) for the next question to cut in.
    const knowledge = BENCH_QUESTIONS.map((q, i) => ({ question: q, answer: `Here is answer number ${i + 1}. It goes on for a while, so that you can cut in whenever you like. Thank you for asking about that.` }));
    world = await openLiveBenchWorld({ name: "live", knowledge });
    const { apiKey, port, origin } = world;
    const avatar = { id: world.avatarId };
    const spawned = world.server;

    const clips: Clip[] = [];
    for (const text of BENCH_QUESTIONS) {
      const speech = await spoken(text, RATE);
      const lead = silence(200);
      const bounds = soundBounds(speech, RATE) ?? { startMs: 0, endMs: (speech.length * 1000) / RATE };
      clips.push({ text, pcm: joinPcm(lead, speech, silence(600)), soundFrom: lead.length + (bounds.startMs * RATE) / 1000, soundTo: lead.length + (bounds.endMs * RATE) / 1000 });
    }
    console.log(`server: child process pid ${spawned.pid} — /api/v1 handlers (node-adapter) + the production session upgrade on one node:http server (not \`tic-avatar serve\`: no next build)`);

    async function openSession(): Promise<Client> {
      const res = await fetch(`${origin}/api/v1/realtime/sessions`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ outputModality: "audio", avatar_id: avatar.id, input: "voice", language: "en", turn_detection: { type: "server_vad", silence_duration_ms: 400 } }),
      });
      if (res.status !== 201) throw new Error(`create answered ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { url: string; client_secret: { value: string } };
      const url = new URL(body.url);
      url.protocol = "ws:";
      url.host = `127.0.0.1:${port}`;
      url.searchParams.set("token", body.client_secret.value);
      const client = new Client(new WebSocket(url));
      await client.opened;
      if (!(await client.waitFor(0, "session.created", 30_000))) throw new Error("no session.created");
      client.ws.send(JSON.stringify({ type: "audio_config", sample_rate: RATE, channel_count: 1 }));
      return client;
    }
    async function closeSession(c: Client) {
      const closed = new Promise((r) => c.ws.once("close", r));
      c.ws.close(1000);
      await Promise.race([closed, sleep(5_000)]);
    }

    /** One question on `c`: its latency and breakdown, or null when the turn got no answer. */
    async function ask(c: Client, clip: Clip) {
      const from = c.log.length;
      const { onset, last } = await c.talk(clip);
      const stopped = await c.waitFor(from, "input_audio_buffer.speech_stopped");
      const heard = await c.waitFor(from, "conversation.item.input_audio_transcription.completed");
      const created = await c.waitFor(from, "response.created");
      if (!stopped || !heard || !created) return { onset, heard: heard ? (heard.e as { transcript: string }).transcript : null, answer: null };
      const delta = await c.waitFor(created.index, "response.text.delta");
      const audio = await c.waitFor(created.index, "audio");
      const cut = c.after(from, "response.interrupted");
      const transcript = (heard.e as { transcript: string }).transcript;
      if (!delta || !audio) return { onset, heard: transcript, answer: null, cut };
      return {
        onset,
        heard: transcript,
        cut,
        answer: { total: audio.at - last, detect: stopped.at - last, recognise: heard.at - stopped.at, llm: delta.at - heard.at, audio: audio.at - delta.at },
      };
    }

    // 1. One session, the questions one after another; each after the first cuts into the answer before.
    const response: number[] = [];
    const parts = { detect: [] as number[], recognise: [] as number[], llm: [] as number[], audio: [] as number[] };
    const bargeIn: number[] = [];
    const pairs: { reference: string; hypothesis: string }[] = [];
    let unanswered = 0;
    const one = await openSession();
    for (let i = 0; i < QUESTIONS_N; i++) {
      const clip = clips[i % clips.length]!;
      const r = await ask(one, clip);
      if (r.heard !== null) pairs.push({ reference: clip.text, hypothesis: r.heard });
      if (i > 0 && r.cut) bargeIn.push(r.cut.at - r.onset);
      console.log(`  q${String(i + 1).padStart(2)} ${r.answer ? `${r.answer.total.toFixed(0).padStart(5)} ms` : " no answer"}${i > 0 ? `  barge-in ${r.cut ? `${(r.cut.at - r.onset).toFixed(0)} ms` : "none"}` : ""}  "${clip.text}" → "${r.heard ?? ""}"`);
      if (!r.answer) {
        unanswered++;
        continue;
      }
      response.push(r.answer.total);
      parts.detect.push(r.answer.detect);
      parts.recognise.push(r.answer.recognise);
      parts.llm.push(r.answer.llm);
      parts.audio.push(r.answer.audio);
      await sleep(800); // the avatar speaks a little before the next question cuts in
    }
    await closeSession(one);

    // 2. Concurrency: N sessions, each asking a question every 10 s (staggered), N stepping up.
    const steps: { n: number; lat: number[]; missed: number; cpuPerSessionMin: number }[] = [];
    for (let n = STEP; n <= MAX_SESSIONS; n += STEP) {
      const cpu0 = treeTicks(spawned.pid!);
      const t0 = performance.now();
      const clients = await Promise.all(Array.from({ length: n }, () => openSession()));
      const lat: number[] = [];
      const br = { detect: [] as number[], recognise: [] as number[], audio: [] as number[] };
      let missed = 0;
      await Promise.all(
        clients.map(async (c, k) => {
          await sleep((k * PERIOD_MS) / n);
          for (let round = 0; round < ROUNDS; round++) {
            const began = performance.now();
            const r = await ask(c, clips[(k + round * n) % clips.length]!);
            if (r.answer) {
              lat.push(r.answer.total);
              br.detect.push(r.answer.detect);
              br.recognise.push(r.answer.recognise);
              br.audio.push(r.answer.llm + r.answer.audio);
            } else missed++;
            await sleep(began + PERIOD_MS - performance.now());
          }
        }),
      );
      await Promise.all(clients.map(closeSession));
      await sleep(1_500); // the recognisers and TTS processes of the step exit and are reaped
      const sessionMinutes = (n * (performance.now() - t0)) / 60_000;
      const cpuPerSessionMin = ((treeTicks(spawned.pid!) - cpu0) * TICK_MS) / sessionMinutes;
      steps.push({ n, lat, missed, cpuPerSessionMin });
      const p95 = (xs: number[]) => (xs.length ? pct(xs, 0.95).toFixed(0) : "-");
      console.log(`  step N=${String(n).padStart(2)}: ${fmt(lat)}  missed ${missed}  server CPU ${cpuPerSessionMin.toFixed(0)} ms/session-minute  p95 detect ${p95(br.detect)} / recognise ${p95(br.recognise)} / reply+audio ${p95(br.audio)} ms  (load ${load()})`);
      if (!lat.length || pct(lat, 0.95) > 1500) break;
    }
    const held = steps.filter((s) => s.lat.length && pct(s.lat, 0.95) <= 1500 && s.missed === 0).map((s) => s.n);

    console.log("");
    console.log(`live conversations over the socket (REST create + ws, embedded stack, silence_duration_ms 400, 20 ms real-time PCM16 chunks):`);
    console.log(`  response latency (last speech sample sent → first avatar audio):  ${fmt(response)}   target p50 ≤ 700, p95 ≤ 1000${unanswered ? `  (${unanswered} of ${QUESTIONS_N} unanswered)` : ""}`);
    console.log(`    end-of-turn detection (→ speech_stopped):               ${fmt(parts.detect)}`);
    console.log(`    recogniser final (→ transcription.completed):           ${fmt(parts.recognise)}`);
    console.log(`    first LLM sentence (→ first response.text.delta):       ${fmt(parts.llm)}`);
    console.log(`    first TTS audio + pipeline (→ first binary audio):      ${fmt(parts.audio)}`);
    console.log(`  barge-in (speech onset → response.interrupted):            ${fmt(bargeIn)}   target p95 ≤ 250`);
    console.log(`  recogniser word error rate:                                  ${(wordErrorRate(pairs) * 100).toFixed(1)} % over ${pairs.length} questions`);
    console.log(`  concurrent sessions held (p95 ≤ 1500 ms, none missed):       ${held.length ? Math.max(...held) : 0} of ≤ ${MAX_SESSIONS} tried   target ≥ 20`);
    for (const s of steps) console.log(`    N=${String(s.n).padStart(2)}  ${fmt(s.lat)}  missed ${s.missed}  server CPU ${s.cpuPerSessionMin.toFixed(0)} ms/session-minute`);
    console.log(`  avatar streams the strict mux reader refused: ${streamErrors.length}${streamErrors.length ? ` (first: ${streamErrors[0]})` : ""}`);
    console.log(`load average at end: ${load()}  (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s)`);
  } finally {
    await world?.close();
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
