import "server-only";
import type { Logger } from "pino";
import { newId } from "@/core/ids/new-id";
import type { TurnDetection } from "@/core/realtime/session-events";
import { createSpeechInput, serverVadSettings, type SpeechInput, type SpeechInputEvent, type SttProvider } from "../speech";
import { clientError, errorEvent } from "./error-event";
import type { ConversationSink } from "./types";

// The user's voice as session events (server/services/speech/speech-input.ts does the detector →
// recogniser glue): with server_vad each detected turn is recognised while it is spoken; with
// turn_detection none (push-to-talk) the audio streams into the recogniser until the client
// commits. The speech input opens with the first audio and again after a change of settings.

/** Audio queued for the detector beyond this is dropped: a detector slower than real time must not grow memory. */
const MAX_PENDING_MS = 2_000;

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
/** A turn between its start and its transcript. */
type Item = { itemId: string; startMs: number; endMs: number; said: string };

export class VoiceInput {
  private input: Promise<SpeechInput | null> | null = null;
  private pushing: Promise<void> = Promise.resolve();
  private pendingSamples = 0;
  /** The turn being spoken (server_vad), or the push-to-talk audio since the last commit. */
  private current: Item | null = null;
  /** Ended turns waiting for their transcripts, in order. */
  private awaiting: Item[] = [];
  private audioOrigin: number | null = null;
  private closed = false;

  constructor(
    private readonly stt: () => SttProvider,
    private settings: Settings,
    private readonly hooks: VoiceInputHooks,
  ) {}

  /** PCM16 mono at the session's input rate. */
  append(pcm: Int16Array): void {
    if (this.closed || pcm.length === 0) return;
    this.audioOrigin ??= this.hooks.clock();
    if (this.settings.turnDetection.type === "none") this.current ??= { itemId: newId("item"), startMs: this.hooks.clock(), endMs: 0, said: "" };
    if (this.pendingSamples + pcm.length > (this.settings.inputRate * MAX_PENDING_MS) / 1000) return; // behind: drop, never queue without bound
    this.input ??= this.open();
    const input = this.input;
    this.pendingSamples += pcm.length;
    this.pushing = this.pushing.then(async () => {
      try {
        await (await input)?.push(pcm);
      } catch (error) {
        this.hooks.log.warn({ err: error }, "speech input failed on a chunk");
      } finally {
        this.pendingSamples -= pcm.length;
      }
    });
  }

  /** Push-to-talk: what was said since the last commit is the user's turn. */
  async commit(eventId?: string): Promise<void> {
    if (this.settings.turnDetection.type !== "none") {
      this.hooks.sink.event(clientError("invalid_event", "input_audio_buffer.commit: the session detects turns itself (turn_detection server_vad); commit is for turn_detection none.", eventId));
      return;
    }
    const item = this.current;
    if (!item || !this.input) {
      this.hooks.sink.event(clientError("input_audio_buffer_commit_empty", "input_audio_buffer.commit: no audio was appended since the last commit or clear.", eventId));
      return;
    }
    this.current = null;
    await this.pushing; // every chunk appended before the commit belongs to this turn
    const input = await this.input;
    item.endMs = this.hooks.clock();
    this.hooks.sink.event({ type: "input_audio_buffer.committed", item_id: item.itemId });
    this.hooks.onRecognising();
    if (!input) return this.hooks.onUtterance({ ...item, text: "" });
    this.awaiting.push(item);
    input.commit();
  }

  /** Push-to-talk released (stop_listening): commits what was said, if anything. */
  async commitIfAny(): Promise<void> {
    if (this.settings.turnDetection.type === "none" && this.current) await this.commit();
  }

  /** Drops the audio and the turn in progress. */
  async clear(): Promise<void> {
    this.current = null;
    await this.pushing;
    await (await this.input)?.clear();
  }

  /** session.update / audio_config: new settings take effect with the next audio (the turn in progress is dropped). */
  configure(next: Partial<Settings>): void {
    const changed =
      (next.inputRate !== undefined && next.inputRate !== this.settings.inputRate) ||
      (next.turnDetection !== undefined && JSON.stringify(next.turnDetection) !== JSON.stringify(this.settings.turnDetection));
    this.settings = { ...this.settings, ...Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) };
    if (!changed) return;
    this.shut();
  }

  close(): void {
    this.closed = true;
    this.shut();
  }

  private shut(): void {
    const input = this.input;
    this.input = null;
    this.current = null;
    void input?.then((i) => i?.close());
  }

  private open(): Promise<SpeechInput | null> {
    const td = this.settings.turnDetection;
    const opened = createSpeechInput({
      stt: this.stt(),
      language: this.settings.language,
      sampleRate: this.settings.inputRate,
      turnDetection: td.type === "server_vad" ? serverVadSettings(td) : null,
      onEvent: (e) => this.onEvent(e),
    });
    return Promise.resolve(opened).catch((error: unknown) => {
      this.hooks.sink.event(errorEvent(error));
      return null;
    });
  }

  private onEvent(e: SpeechInputEvent): void {
    if (this.closed) return;
    const { sink } = this.hooks;
    const origin = this.audioOrigin ?? 0;
    switch (e.type) {
      case "speech_started": {
        const item = { itemId: newId("item"), startMs: origin + e.audioStartMs, endMs: 0, said: "" };
        this.current = item;
        sink.activity();
        this.hooks.onSpeechStarted();
        sink.event({ type: "input_audio_buffer.speech_started", audio_start_ms: e.audioStartMs, item_id: item.itemId });
        return;
      }
      case "speech_stopped": {
        const item = this.current;
        if (!item) return;
        this.current = null;
        item.endMs = origin + e.audioEndMs;
        this.awaiting.push(item);
        sink.event({ type: "input_audio_buffer.speech_stopped", audio_end_ms: e.audioEndMs, item_id: item.itemId });
        sink.event({ type: "input_audio_buffer.committed", item_id: item.itemId });
        this.hooks.onRecognising();
        return;
      }
      case "transcript_partial": {
        const item = this.current;
        // Deltas append: a revised hypothesis that does not extend the last one is not sent.
        if (!item || !e.text.startsWith(item.said) || e.text === item.said) return;
        sink.event({ type: "conversation.item.input_audio_transcription.delta", item_id: item.itemId, delta: e.text.slice(item.said.length) });
        item.said = e.text;
        return;
      }
      case "transcript_completed":
      case "transcript_failed": {
        const item = this.awaiting.shift();
        if (!item) return;
        const text = e.type === "transcript_completed" ? e.text.trim() : "";
        if (e.type === "transcript_failed") sink.event(errorEvent(e.error));
        else if (text) sink.event({ type: "conversation.item.input_audio_transcription.completed", item_id: item.itemId, transcript: text });
        this.hooks.onUtterance({ itemId: item.itemId, text, startMs: item.startMs, endMs: item.endMs });
        return;
      }
    }
  }
}
