import "server-only";
import type { Logger } from "pino";
import { newId } from "@/core/ids/new-id";
import type { TurnDetection } from "@/core/realtime/session-events";
import { clientError, errorEvent } from "./error-event";
import type { SpeechInput, SttSession, TurnDetector, TurnEvent } from "./speech-input";
import type { ConversationSink } from "./types";

// The user's voice: with server_vad, turn detection on the incoming audio opens a recognition at
// each speech onset and feeds it while the user speaks, so the transcript is ready soon after the
// silence that ends the turn; with turn_detection none (push-to-talk) audio is buffered until the
// client commits it. Memory per session is bounded either way.

/** Push-to-talk keeps at most this much audio; past it the oldest is dropped (with one error event). */
export const MAX_BUFFERED_INPUT_MS = 60_000;
/** Audio queued for the detector beyond this is dropped: a detector slower than real time must not grow memory. */
const MAX_PENDING_DETECTOR_MS = 2_000;
const RECOGNIZER_RATE = 16_000;

export type Utterance = { itemId: string; text: string; startMs: number; endMs: number };

export type VoiceInputHooks = {
  sink: ConversationSink;
  log: Logger;
  /** Milliseconds since the session started. */
  clock: () => number;
  /** The detector confirmed speech (past its minimum): barge-in. */
  onSpeechStarted: () => void;
  /** The turn ended and is being recognised. */
  onRecognising: () => void;
  /** The transcript of a turn ("" when nothing was recognised or it failed). */
  onUtterance: (u: Utterance) => void;
};

type Settings = { turnDetection: TurnDetection; inputRate: number; language: string };
type Open = { itemId: string; startMs: number; stt: SttSession | null };

export class VoiceInput {
  private detector: Promise<TurnDetector | null> | null = null;
  private pushing: Promise<void> = Promise.resolve();
  private pendingSamples = 0;
  private open: Open | null = null;
  private buffered: Int16Array[] = [];
  private bufferedSamples = 0;
  private bufferStartMs = 0;
  private overflowReported = false;
  private audioOrigin: number | null = null;
  private closed = false;

  constructor(
    private readonly speech: SpeechInput,
    private settings: Settings,
    private readonly hooks: VoiceInputHooks,
  ) {}

  /** PCM16 mono at the session's input rate. */
  append(pcm: Int16Array): void {
    if (this.closed || pcm.length === 0) return;
    this.audioOrigin ??= this.hooks.clock();
    if (this.settings.turnDetection.type === "none") return this.buffer(pcm);
    const maxPending = (this.settings.inputRate * MAX_PENDING_DETECTOR_MS) / 1000;
    if (this.pendingSamples + pcm.length > maxPending) return; // the detector is behind: drop, never queue without bound
    this.detector ??= this.openDetector();
    const detector = this.detector;
    this.pendingSamples += pcm.length;
    this.pushing = this.pushing.then(async () => {
      try {
        await (await detector)?.push(pcm);
      } catch (error) {
        this.hooks.log.warn({ err: error }, "turn detection failed on a chunk");
      } finally {
        this.pendingSamples -= pcm.length;
      }
    });
  }

  /** Push-to-talk: recognises what was buffered as the user's turn. */
  async commit(eventId?: string): Promise<void> {
    if (this.settings.turnDetection.type !== "none") {
      this.hooks.sink.event(clientError("invalid_event", "input_audio_buffer.commit: the session detects turns itself (turn_detection server_vad); commit is for turn_detection none.", eventId));
      return;
    }
    if (this.bufferedSamples === 0) {
      this.hooks.sink.event(clientError("input_audio_buffer_commit_empty", "input_audio_buffer.commit: no audio was appended since the last commit or clear.", eventId));
      return;
    }
    const pcm = concat(this.buffered);
    const startMs = this.bufferStartMs;
    this.buffered = [];
    this.bufferedSamples = 0;
    const itemId = newId("item");
    this.hooks.sink.event({ type: "input_audio_buffer.committed", item_id: itemId });
    this.hooks.onRecognising();
    const stt = this.openStt(itemId, this.settings.inputRate);
    stt?.push(pcm);
    await this.finish({ itemId, startMs, stt }, this.hooks.clock());
  }

  /** Push-to-talk released (stop_listening): commits what was buffered, if anything. */
  async commitIfAny(): Promise<void> {
    if (this.settings.turnDetection.type === "none" && this.bufferedSamples > 0) await this.commit();
  }

  /** Drops buffered audio and the turn in progress. */
  async clear(): Promise<void> {
    this.buffered = [];
    this.bufferedSamples = 0;
    this.abortOpen();
    const d = await this.detector;
    await d?.clear();
  }

  /** session.update / audio_config: a new detector for new settings (the turn in progress is dropped). */
  configure(next: Partial<Settings>): void {
    const changed = (next.inputRate !== undefined && next.inputRate !== this.settings.inputRate) || (next.turnDetection !== undefined && JSON.stringify(next.turnDetection) !== JSON.stringify(this.settings.turnDetection));
    this.settings = { ...this.settings, ...Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) };
    if (!changed) return;
    this.abortOpen();
    this.detector = null;
    this.buffered = [];
    this.bufferedSamples = 0;
  }

  close(): void {
    this.closed = true;
    this.abortOpen();
    this.buffered = [];
  }

  private buffer(pcm: Int16Array): void {
    if (this.bufferedSamples === 0) this.bufferStartMs = this.hooks.clock();
    this.buffered.push(pcm);
    this.bufferedSamples += pcm.length;
    const max = (this.settings.inputRate * MAX_BUFFERED_INPUT_MS) / 1000;
    while (this.bufferedSamples > max && this.buffered.length > 1) this.bufferedSamples -= this.buffered.shift()!.length;
    if (this.bufferedSamples > max && !this.overflowReported) {
      this.overflowReported = true;
      this.hooks.sink.event(clientError("input_audio_buffer_full", `The input audio buffer holds at most ${MAX_BUFFERED_INPUT_MS / 1000} s; the oldest audio was dropped. Commit more often.`));
    }
  }

  private openDetector(): Promise<TurnDetector | null> {
    const td = this.settings.turnDetection;
    if (td.type !== "server_vad") return Promise.resolve(null);
    const settings = { threshold: td.threshold, silenceDurationMs: td.silence_duration_ms, prefixPaddingMs: td.prefix_padding_ms };
    const opened = this.speech.detector(settings, this.settings.inputRate, (e) => this.onTurnEvent(e));
    return opened.catch((error: unknown) => {
      this.hooks.sink.event(errorEvent(error));
      return null;
    });
  }

  private onTurnEvent(e: TurnEvent): void {
    if (this.closed) return;
    const origin = this.audioOrigin ?? 0;
    if (e.type === "speech_started") {
      this.abortOpen();
      const itemId = newId("item");
      this.hooks.sink.activity();
      this.hooks.onSpeechStarted();
      this.hooks.sink.event({ type: "input_audio_buffer.speech_started", audio_start_ms: e.audioStartMs, item_id: itemId });
      const stt = this.openStt(itemId, RECOGNIZER_RATE);
      stt?.push(e.audio);
      this.open = { itemId, startMs: origin + e.audioStartMs, stt };
      return;
    }
    const open = this.open;
    if (!open) return;
    if (e.type === "speech_audio") {
      open.stt?.push(e.audio);
      return;
    }
    this.open = null;
    this.hooks.sink.event({ type: "input_audio_buffer.speech_stopped", audio_end_ms: e.audioEndMs, item_id: open.itemId });
    this.hooks.sink.event({ type: "input_audio_buffer.committed", item_id: open.itemId });
    this.hooks.onRecognising();
    void this.finish(open, origin + e.audioEndMs);
  }

  /** A recognition of the turn `itemId`; its growing hypothesis goes out as transcription deltas. */
  private openStt(itemId: string, sampleRate: number): SttSession | null {
    let said = "";
    try {
      return this.speech.stt().open({
        language: this.settings.language,
        sampleRate,
        onPartial: (text) => {
          // Deltas append: a revised hypothesis that is not an extension of the last is not sent.
          if (this.closed || !text.startsWith(said) || text === said) return;
          this.hooks.sink.event({ type: "conversation.item.input_audio_transcription.delta", item_id: itemId, delta: text.slice(said.length) });
          said = text;
        },
      });
    } catch (error) {
      this.hooks.sink.event(errorEvent(error));
      return null;
    }
  }

  private async finish(open: Open, endMs: number): Promise<void> {
    let text = "";
    try {
      text = open.stt ? (await open.stt.finish()).text.trim() : "";
    } catch (error) {
      this.hooks.sink.event(errorEvent(error));
    }
    if (this.closed) return;
    if (text) this.hooks.sink.event({ type: "conversation.item.input_audio_transcription.completed", item_id: open.itemId, transcript: text });
    this.hooks.onUtterance({ itemId: open.itemId, text, startMs: open.startMs, endMs });
  }

  private abortOpen(): void {
    const open = this.open;
    this.open = null;
    open?.stt?.abort();
  }
}

function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

