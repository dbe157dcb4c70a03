import "server-only";
import type { Logger } from "pino";
import { samplesToMicros } from "@/core/mux";
import { newId } from "@/core/ids/new-id";
import type { SessionStream } from "@/core/turn/turn-records";
import type { Usage } from "@/core/realtime/session-events";
import type { Db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import type { ChatMessage, KnowledgeEntry, LlmProvider, LlmTool, ToolCall } from "../llm";
import type { TtsChunk, TtsProvider } from "../tts";
import { LiveHold, type HoldOwner } from "../realtime/live-hold";
import { speakDeltas, type Voice } from "../realtime/speech-source";
import { specRecords, type TurnSpec } from "../realtime/turn";
import { holdBudget } from "../realtime/turn-budget";
import { errorEvent } from "./error-event";
import { playedText, type SentenceMark } from "./played-text";
import type { ThreadHistory } from "./thread-history";
import { TOOL_TIMEOUT_OUTPUT, type ToolCalls } from "./tool-calls";
import type { ConversationSink } from "./types";

// One response of a live session: the LLM's reply (with its function-call rounds), spoken sentence
// by sentence through the one turn pipeline onto the session's mux stream, paced at real time plus a
// short lead. Billed like a turn: a hold per response through LiveHold, settled to the audio sent.

/** What a spoken response holds up front; it grows while speaking (turn-budget.ts) up to the limit. */
export const REPLY_RESERVE_MICROS = 15_000_000;
/** The longest one response may speak. */
export const REPLY_LIMIT_MICROS = 60_000_000;
/** How far audio may run ahead of real time (seed 003's 300–500 ms buffer): what barge-in can drop. */
export const LEAD_MS = 400;
/** Socket backlog (bytes queued, unsent) above which the loop stops pulling records. */
export const MAX_BUFFERED_BYTES = 128 * 1024;
/** Function-call rounds per response before the model must answer without tools. */
const MAX_TOOL_ROUNDS = 4;

/** The avatar side of spoken responses: the pipeline's inputs (without the speech). */
export type SpeechSetup = Omit<TurnSpec, "speech" | "stream"> & { tts: TtsProvider };

export type ReplyContext = {
  db: Db;
  owner: HoldOwner;
  avatarId: string;
  sink: ConversationSink;
  llm: LlmProvider;
  persona: string | undefined;
  knowledge: KnowledgeEntry[];
  tools: LlmTool[];
  history: ThreadHistory;
  toolCalls: ToolCalls;
  /** Null: text replies only (outputModality "text"). */
  speech: SpeechSetup | null;
  voice: Voice;
  stream: SessionStream;
  /** Milliseconds since the session started. */
  clock: () => number;
  onSpeaking: () => void;
  log: Logger;
};

type Cut = "barge_in" | "cancelled";

/** What a response says: the LLM's answer to the conversation so far, or (`avatar.speak`) given text, verbatim. */
export type ReplySource = { kind: "llm" } | { kind: "verbatim"; text: string };

export class Reply {
  readonly id = newId("resp");
  private readonly abort = new AbortController();
  private cut: Cut | null = null;
  private finished = false;
  private text = "";
  private readonly marks: SentenceMark[] = [];
  private generated = 0;
  private startSample = 0;
  private sent = 0;
  private rate = 0;
  private chunks = 0;
  /** The reply goes out as speech (a hold was granted): what the user heard is what was played. */
  private voiced = false;
  private report: { positionMs: number; at: number } | null = null;
  private startedMs = 0;
  private firstAudioMs: number | null = null;
  done: Promise<Usage> = Promise.resolve({ speech_ms: 0, credit_micros: 0 });

  constructor(
    private readonly ctx: ReplyContext,
    private readonly source: ReplySource = { kind: "llm" },
  ) {}

  start(): this {
    this.startedMs = this.ctx.clock();
    this.done = this.run();
    return this;
  }

  get active(): boolean {
    return !this.finished;
  }

  /**
   * Barge-in or cancel: no audio leaves after this call; the client is told where the avatar was cut
   * (`played_ms`) so it drops what it buffered past that. `silent`: the session is closing.
   */
  interrupt(reason: Cut, silent = false): void {
    if (this.cut || this.finished) return;
    this.cut = reason;
    const played = Math.floor(this.playedMs());
    this.abort.abort(new DOMException("The response was interrupted.", "AbortError"));
    if (!silent) this.ctx.sink.event({ type: "response.interrupted", response_id: this.id, played_ms: played, reason });
  }

  /** The client's buffer_status: how much of this response it has played. */
  playback(positionMs: number): void {
    if (this.firstAudioMs !== null) this.report = { positionMs, at: performance.now() };
  }

  /**
   * What the user has heard: the client's last report moved on by the time since (it plays in real
   * time), never past what was sent; a client that never reported is taken to have heard all sent.
   */
  private playedMs(): number {
    if (!this.rate) return 0;
    const sentMs = (this.sent * 1000) / this.rate;
    if (!this.report) return sentMs;
    return Math.min(sentMs, this.report.positionMs + (performance.now() - this.report.at));
  }

  private async run(): Promise<Usage> {
    const { sink } = this.ctx;
    sink.event({ type: "response.created", response: { id: this.id } });
    let status: "completed" | "interrupted" | "cancelled" | "failed" = "completed";
    let hold: LiveHold | null = null;
    try {
      if (this.ctx.speech) hold = await this.reserve();
      const deltas = this.source.kind === "verbatim" ? this.verbatimDeltas(this.source.text) : this.replyDeltas();
      this.voiced = hold !== null;
      if (hold && this.ctx.speech) await this.speak(this.ctx.speech, deltas, hold);
      else for await (const delta of deltas) void delta;
    } catch (error) {
      if (!this.cut) {
        status = "failed";
        if (!(error instanceof AppError)) this.ctx.log.error({ err: error, responseId: this.id }, "a live session's response failed");
        sink.event(errorEvent(error));
      }
    }
    if (this.cut) status = this.cut === "barge_in" ? "interrupted" : "cancelled";
    this.finished = true;
    const writer = this.ctx.stream.writer;
    // An aborted turn stops without its closing records: the player is told the avatar is idle.
    if (this.cut && this.chunks > 0 && writer && !writer.isClosed) sink.binary(new Uint8Array([...writer.state("idle"), ...writer.usage()]));
    const usage = await this.settle(hold);
    this.remember(status);
    sink.event({ type: "response.done", response: { id: this.id, status, usage } });
    return usage;
  }

  /** The response's hold; null (after an `insufficient_credits` error event) when credits are short: the reply is then text only. */
  private async reserve(): Promise<LiveHold | null> {
    try {
      return await LiveHold.reserve(this.ctx.db, this.ctx.owner, { amountMicros: REPLY_RESERVE_MICROS, purpose: "realtime_session" });
    } catch (error) {
      if (error instanceof AppError && error.kind === "payment_required") {
        this.ctx.sink.event(errorEvent(error));
        return null;
      }
      throw error;
    }
  }

  private async speak(setup: SpeechSetup, deltas: AsyncIterable<string>, hold: LiveHold): Promise<void> {
    const { tts, ...base } = setup;
    const signal = this.abort.signal;
    const speech = this.tap(speakDeltas(deltas, tts, this.ctx.voice, signal));
    const spec: TurnSpec = { ...base, speech: () => speech, stream: this.ctx.stream, emotion: this.ctx.voice.emotion };
    const stream = this.ctx.stream;
    this.startSample = stream.writer?.position ?? 0;
    // The writer's state after the last bytes that left (null: this reply opens the session's stream).
    let sentMark = stream.writer?.mark() ?? null;
    for await (const chunk of specRecords(spec, holdBudget(hold, REPLY_LIMIT_MICROS), signal)) {
      if (signal.aborted) {
        // Barge-in: nothing more leaves. This chunk is already on the writer's clock, so the clock goes
        // back to what the client has (or the stream starts afresh if nothing left yet, header
        // included): the next reply's audio continues the client's clock without a gap.
        if (sentMark && stream.writer) stream.writer.rewind(sentMark);
        else stream.writer = null;
        break;
      }
      this.ctx.sink.binary(chunk.bytes);
      sentMark = stream.writer?.mark() ?? null;
      this.chunks++;
      this.rate = chunk.sampleRate;
      this.sent = chunk.samples - this.startSample;
      if (this.sent > 0 && this.firstAudioMs === null) {
        this.firstAudioMs = this.ctx.clock();
        this.ctx.onSpeaking();
      }
      hold.delivered(samplesToMicros(this.sent, this.rate));
      await this.drain(signal);
    }
  }

  /** Backpressure: while the socket holds more than MAX_BUFFERED_BYTES unsent, wait (barge-in ends the wait). */
  private async drain(signal: AbortSignal): Promise<void> {
    while (!signal.aborted && this.ctx.sink.bufferedBytes() > MAX_BUFFERED_BYTES) await new Promise((r) => setTimeout(r, 10));
  }

  /** Notes where each sentence starts in the response's audio (the text records' timing). */
  private async *tap(source: AsyncIterable<TtsChunk>): AsyncGenerator<TtsChunk> {
    for await (const c of source) {
      if (c.text) this.marks.push({ at: this.generated, text: c.text });
      this.generated += c.pcm.length;
      yield c;
    }
  }

  /** Given text as the reply's one delta: spoken through the same pipeline (sentence by sentence) as an answer. */
  private async *verbatimDeltas(text: string): AsyncGenerator<string> {
    this.text = text;
    this.ctx.sink.event({ type: "response.text.delta", response_id: this.id, delta: text });
    yield text;
  }

  /** The reply's text deltas across its function-call rounds; each goes to the client as it is written. */
  private async *replyDeltas(): AsyncGenerator<string> {
    const { ctx } = this;
    const signal = this.abort.signal;
    const messages: ChatMessage[] = ctx.history.chat();
    for (let round = 0; ; round++) {
      const calls: ToolCall[] = [];
      let roundText = "";
      const tools = ctx.tools.length && round < MAX_TOOL_ROUNDS ? ctx.tools : undefined;
      for await (const e of ctx.llm.streamEvents({ system: ctx.persona, messages, knowledge: ctx.knowledge, tools, signal })) {
        if (e.type === "tool_call") {
          calls.push(e.call);
          continue;
        }
        this.text += e.delta;
        roundText += e.delta;
        ctx.sink.event({ type: "response.text.delta", response_id: this.id, delta: e.delta });
        yield e.delta;
      }
      if (!calls.length) return;
      messages.push({ role: "assistant", content: roundText, toolCalls: calls });
      // Waiting first: a fast client's answer must find its call.
      const outputs = calls.map((c) => ctx.toolCalls.wait(c.id, signal));
      for (const c of calls) {
        ctx.history.add({ role: "assistant", text: "", tool: { call_id: c.id, name: c.name, arguments: c.arguments }, startMs: ctx.clock() });
        ctx.sink.event({ type: "response.function_call", response_id: this.id, call_id: c.id, name: c.name, arguments: c.arguments });
      }
      const results = await Promise.all(outputs);
      signal.throwIfAborted();
      calls.forEach((c, i) => {
        const output = results[i] ?? TOOL_TIMEOUT_OUTPUT;
        messages.push({ role: "tool", toolCallId: c.id, content: output });
        ctx.history.add({ role: "tool", text: output, tool: { call_id: c.id, output, ...(results[i] === null ? { timed_out: true } : {}) }, startMs: ctx.clock() });
      });
    }
  }

  /** Settles the hold to the audio sent (void when none) and reports the response's usage. */
  private async settle(hold: LiveHold | null): Promise<Usage> {
    if (!hold || !this.rate) {
      await hold?.close(0).catch((err: unknown) => this.ctx.log.error({ err, reservationId: hold.id }, "could not void a response's hold"));
      return { speech_ms: 0, credit_micros: 0 };
    }
    const micros = samplesToMicros(this.sent, this.rate);
    const speechMs = Math.floor((this.sent * 1000) / this.rate);
    try {
      await hold.close(micros, { kind: "realtime_session", renderedMs: speechMs, avatarId: this.ctx.avatarId });
    } catch (err) {
      // The sweeper settles an unclosed hold to its last recorded progress one lease later.
      this.ctx.log.error({ err, reservationId: hold.id }, "could not settle a response's hold");
    }
    return { speech_ms: speechMs, credit_micros: micros };
  }

  /** The assistant's message in the transcript: cut to what the user heard when the reply was. */
  private remember(status: string): void {
    const spoken = this.rate > 0;
    const cutShort = status !== "completed";
    let text = this.text.trim();
    // A spoken reply cut before its first audio was heard not at all.
    if (cutShort && this.voiced) text = spoken ? playedText(this.marks, Math.floor((this.playedMs() * this.rate) / 1000), this.generated) : "";
    if (!text) return;
    const startMs = this.firstAudioMs ?? this.startedMs;
    const endMs = spoken ? startMs + Math.round(this.playedMs()) : this.ctx.clock();
    this.ctx.history.add({ role: "assistant", text, interrupted: cutShort, startMs, endMs });
  }

}
