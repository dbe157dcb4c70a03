import "server-only";
import type { ClientEvent, SessionStatus, TurnDetection } from "@/core/realtime/session-events";
import type { SessionStream } from "@/core/turn/turn-records";
import { clientError } from "./error-event";
import { Reply, type ReplyContext, type ReplySource } from "./reply";
import type { SttProvider } from "../speech";
import type { ThreadHistory } from "./thread-history";
import type { ToolCalls } from "./tool-calls";
import type { Conversation, ConversationConfig } from "./types";
import { VoiceInput, type Utterance } from "./voice-input";

// A session's state machine: listening (waiting for the user, microphone on) / idle (waiting,
// microphone off or a text session) / thinking (a turn ended, the reply is being prepared) /
// speaking (avatar audio is going out). User input while a reply runs interrupts it (barge-in).

/** What stays fixed for a session (made once by openConversation). */
export type LoopParts = Omit<ReplyContext, "persona" | "voice" | "onSpeaking" | "clock"> & {
  config: ConversationConfig;
  persona: string | undefined;
  voiceId: string | undefined;
  /** The configured recogniser (its engine starts with the first utterance). */
  stt: () => SttProvider;
  history: ThreadHistory;
  toolCalls: ToolCalls;
  stream: SessionStream;
};

export class LiveConversation implements Conversation {
  private status: SessionStatus | null = null;
  private listening = true;
  private reply: Reply | null = null;
  private events: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly t0 = performance.now();
  private readonly voice: VoiceInput;
  private persona: string | undefined;
  private voiceId: string | undefined;
  private turnDetection: TurnDetection;
  private inputRate: number;
  private readonly usage = { speechMs: 0, creditMicros: 0 };

  constructor(private readonly parts: LoopParts) {
    const { config, sink } = parts;
    this.persona = parts.persona;
    this.voiceId = parts.voiceId;
    this.turnDetection = config.turnDetection;
    this.inputRate = config.inputSampleRate;
    this.voice = new VoiceInput(
      parts.stt,
      { turnDetection: config.turnDetection, inputRate: config.inputSampleRate, language: config.language },
      {
        sink,
        log: config.log,
        clock: this.clock,
        onSpeechStarted: () => this.reply?.interrupt("barge_in"),
        onRecognising: () => this.setStatus("thinking"),
        onUtterance: (u) => this.enqueue(() => this.userVoice(u)),
      },
    );
    this.setStatus(this.restingStatus());
  }

  handle(e: ClientEvent): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.parts.sink.activity();
    // Playback reports are immediate: a barge-in right after must see the latest one.
    if (e.type === "buffer_status") {
      this.reply?.playback(e.playback_position);
      return Promise.resolve();
    }
    // A cancel stops the audio now, not after the events queued before it.
    if (e.type === "response.cancel") this.reply?.interrupt("cancelled");
    return this.enqueue(() => this.apply(e));
  }

  appendAudio(pcm: Int16Array): void {
    if (this.closed) return;
    if (this.parts.config.input === "text") return;
    if (!this.listening) return; // stop_listening: the microphone is off
    this.voice.append(pcm);
  }

  async close(reason: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.parts.config.log.info({ reason }, "conversation closing");
    this.voice.close();
    const reply = this.reply;
    reply?.interrupt("cancelled", true);
    await reply?.done.catch(() => undefined);
    await this.events.catch(() => undefined);
    const writer = this.parts.stream.writer;
    if (writer && !writer.isClosed) this.parts.sink.binary(writer.end("complete"));
    await this.parts.history.flush();
  }

  /** Milliseconds since the session started (transcript times are relative to it). */
  private readonly clock = () => Math.round(performance.now() - this.t0);

  /** Client events in arrival order: a cancel then a question must store and answer in that order. */
  private enqueue(op: () => Promise<void>): Promise<void> {
    const next = this.events.then(op, op);
    this.events = next.catch((error: unknown) => this.parts.config.log.error({ err: error }, "a conversation event failed"));
    return next;
  }

  private async apply(e: ClientEvent): Promise<void> {
    const { sink } = this.parts;
    switch (e.type) {
      case "conversation.item.create": {
        if (e.item.type === "function_call_output") {
          if (!this.parts.toolCalls.resolve(e.item.call_id, e.item.output)) {
            sink.event(clientError("unknown_call_id", `function_call_output: no function call ${e.item.call_id} is waiting (unknown, or its 2.5 s ran out and the model was told it failed).`, e.event_id));
          }
          return;
        }
        const text = e.item.content.map((c) => c.text).join("\n").trim();
        const now = this.clock();
        return this.userTurn(text, now, now);
      }
      case "response.create":
        if (!this.reply) this.startReply();
        return;
      case "avatar.speak":
        // The page's words replace whatever the avatar was saying (as a cancel would cut it).
        await this.interrupt("cancelled");
        this.startReply({ kind: "verbatim", text: e.text.trim() });
        return;
      case "response.cancel":
        return this.interrupt("cancelled");
      case "input_audio_buffer.commit":
        return this.voice.commit(e.event_id);
      case "input_audio_buffer.clear":
        await this.voice.clear();
        sink.event({ type: "input_audio_buffer.cleared" });
        return;
      case "start_listening":
        this.listening = true;
        // Push-to-talk: pressing the button while the avatar speaks is cutting in.
        if (this.turnDetection.type === "none") await this.interrupt("barge_in");
        if (!this.reply) this.setStatus(this.restingStatus());
        return;
      case "stop_listening":
        this.listening = false;
        if (this.turnDetection.type === "none") await this.voice.commitIfAny();
        else await this.voice.clear();
        if (!this.reply) this.setStatus(this.restingStatus());
        return;
      case "audio_config":
        this.inputRate = e.sample_rate;
        this.voice.configure({ inputRate: e.sample_rate });
        return;
      case "session.update": {
        const s = e.session;
        if (s.instructions !== undefined) this.persona = s.instructions.trim() || undefined;
        if (s.voice !== undefined) this.voiceId = s.voice;
        if (s.turn_detection) this.turnDetection = s.turn_detection;
        if (s.input_audio_format) this.inputRate = s.input_audio_format.sample_rate;
        this.voice.configure({ turnDetection: s.turn_detection, inputRate: s.input_audio_format?.sample_rate });
        sink.event({ type: "session.updated", session: { instructions: this.persona ?? null, voice: this.voiceId ?? null, turn_detection: this.turnDetection, input_sample_rate: this.inputRate } });
        return;
      }
      case "input_audio_buffer.append":
        this.appendAudio(decodePcm16(e.audio));
        return;
      default:
        return;
    }
  }

  private async userVoice(u: Utterance): Promise<void> {
    if (!u.text) {
      if (!this.reply) this.setStatus(this.restingStatus());
      return;
    }
    await this.userTurn(u.text, u.startMs, u.endMs);
  }

  /** The user's turn (typed, a browser transcript or recognised speech): stored, then answered. */
  private async userTurn(text: string, startMs: number, endMs: number): Promise<void> {
    if (!text) return;
    // Its answer is cut first, so the transcript holds the cut answer before the new question.
    await this.interrupt("barge_in");
    this.parts.history.add({ role: "user", text, startMs, endMs });
    this.startReply();
  }

  private async interrupt(reason: "barge_in" | "cancelled"): Promise<void> {
    const reply = this.reply;
    if (!reply) return;
    reply.interrupt(reason);
    await reply.done.catch(() => undefined);
  }

  private startReply(source: ReplySource = { kind: "llm" }): void {
    const p = this.parts;
    const reply = new Reply({
      ...p,
      persona: this.persona,
      voice: { language: p.config.language, voiceId: this.voiceId, speed: 1, emotion: "neutral" },
      clock: this.clock,
      onSpeaking: () => this.setStatus("speaking"),
    }, source);
    this.setStatus("thinking");
    this.reply = reply;
    reply.start();
    void reply.done.then((usage) => {
      if (this.reply === reply) this.reply = null;
      if (usage.credit_micros > 0 || usage.speech_ms > 0) {
        this.usage.speechMs += usage.speech_ms;
        this.usage.creditMicros += usage.credit_micros;
        p.sink.usage({ ...this.usage });
      }
      if (!this.reply && !this.closed) this.setStatus(this.restingStatus());
    });
  }

  private restingStatus(): SessionStatus {
    return this.parts.config.input === "voice" && this.listening ? "listening" : "idle";
  }

  private setStatus(s: SessionStatus): void {
    if (this.status === s || this.closed) return;
    this.status = s;
    this.parts.sink.event({ type: "status", status: s });
    const writer = this.parts.stream.writer;
    // The player shows listening/thinking too; speaking and idle come with the turn's own records.
    if ((s === "listening" || s === "thinking") && !this.reply?.active && writer?.isStarted && !writer.isClosed) this.parts.sink.binary(writer.state(s));
  }
}

/** base64 PCM16 little-endian → samples (an odd trailing byte is dropped). */
function decodePcm16(b64: string): Int16Array {
  const bytes = Buffer.from(b64, "base64");
  const out = new Int16Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2);
  return out;
}
