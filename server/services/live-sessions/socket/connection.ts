import "server-only";
import type { Logger } from "pino";
import { parseClientEvent, SESSION_CLOSE, type ClientEvent, type ServerEvent } from "@/core/realtime/session-events";
import type { Db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import type { Conversation, ConversationConfig, ConversationSink } from "@/server/services/conversation/types";
import { recordEnd, type EndReason } from "../connect";
import type { StoredSessionConfig } from "../schemas";
import type { SessionRow } from "../sessions";
import { pcmFromBase64, pcmFromBytes } from "./audio-frames";
import { FloodGuard } from "./flood-guard";
import type { SessionTransport, TransportEnd } from "./transport";

// One connected session: the limits, timers and ends around its conversation, over either transport
// (transport.ts: the WebSocket, or a WebRTC peer connection). Every client message is checked here;
// the conversation only ever sees parsed, normalised events.

export type OpenConversation = (db: Db, config: ConversationConfig, sink: ConversationSink) => Promise<Conversation>;

export type ConnectionDeps = {
  db: Db;
  open: OpenConversation;
  log: Logger;
  /** How long a dropped connection (no close frame; a failed peer) is waited for before the session ends `disconnected`. */
  disconnectGraceMs: number;
  /** Told once the session has ended and its row is written. */
  onEnded: (id: string) => void;
};

/** Audio a push-to-talk client may append before it commits: bounds memory per session. */
export const MAX_UNCOMMITTED_AUDIO_MS = 60_000;
/** How long an end waits for the conversation to stop before writing the row anyway. */
const CLOSE_TIMEOUT_MS = 3_000;

/** Bytes queued for a client that does not read them: past this the session ends rather than hold them. */
export const MAX_QUEUED_BYTES = 16 * 1024 * 1024;

const CLOSE_OF: Partial<Record<EndReason, number>> = { server_shutdown: SESSION_CLOSE.going_away, error: SESSION_CLOSE.internal };

export class LiveConnection {
  readonly id: string;
  private readonly config: StoredSessionConfig;
  private readonly flood = new FloodGuard();
  private readonly conversation: Promise<Conversation | null>;
  private usage = { speechMs: 0, creditMicros: 0 };
  private sampleRate = 16_000;
  private audioConfigured = false;
  private uncommittedSamples = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private maxTimer: NodeJS.Timeout | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private ending: Promise<void> | null = null;

  constructor(
    private readonly transport: SessionTransport,
    private readonly row: SessionRow,
    private readonly deps: ConnectionDeps,
  ) {
    this.id = row.id;
    this.config = row.config as unknown as StoredSessionConfig;
    const startedAt = row.connectedAt ?? new Date();
    this.send({
      type: "session.created",
      session: {
        id: row.id,
        thread_id: row.threadId,
        input_sample_rate: this.sampleRate,
        output_modality: this.config.outputModality,
        render: this.config.render,
        video_format: this.config.video_format ?? "mux",
        expires_at: new Date(startedAt.getTime() + this.config.max_seconds * 1000).toISOString(),
      },
    });
    transport.listen({
      message: (m) => this.onMessage(m),
      audio: (pcm) => this.onAudio(pcm, "track"),
      ended: (how, detail) => this.onTransportEnd(how, detail),
      inputRate: () => this.sampleRate,
    });
    this.maxTimer = setTimeout(() => void this.end("max_duration"), this.config.max_seconds * 1000);
    this.touch();
    this.conversation = this.deps.open(this.deps.db, this.conversationConfig(), this.sink()).catch((error: unknown) => {
      this.fail(error);
      return null;
    });
  }

  private conversationConfig(): ConversationConfig {
    const r = this.row;
    return {
      sessionId: r.id,
      threadId: r.threadId,
      tenantId: r.tenantId,
      environment: r.environment,
      apiKeyId: r.apiKeyId,
      avatarId: r.avatarId,
      outputModality: this.config.outputModality,
      input: this.config.input,
      voice: this.config.voice,
      prompt: this.config.prompt,
      language: this.config.language,
      render: this.config.render,
      videoFormat: this.config.video_format ?? "mux",
      turnDetection: this.config.turn_detection,
      inputSampleRate: this.sampleRate,
      tools: this.config.tools,
      log: this.deps.log.child({ sessionId: r.id }),
    };
  }

  private sink(): ConversationSink {
    return {
      event: (e) => {
        // The client's player drops its buffer on this event; a transport with its own tracks drops its queue.
        if (e.type === "response.interrupted") this.transport.dropMedia();
        this.send(e);
      },
      binary: (bytes) => {
        if (this.ending || !this.transport.open) return;
        if (this.transport.bufferedBytes() > MAX_QUEUED_BYTES) {
          this.deps.log.warn({ sessionId: this.id, queued: this.transport.bufferedBytes() }, "session client is not reading; ending the session");
          void this.end("error");
          return;
        }
        this.transport.sendRecord(bytes);
      },
      bufferedBytes: () => this.transport.bufferedBytes(),
      activity: () => this.touch(),
      usage: (u) => (this.usage = { speechMs: u.speechMs, creditMicros: u.creditMicros }),
    };
  }

  private send(e: ServerEvent): void {
    this.transport.sendEvent(e);
  }

  private error(code: string, message: string, eventId?: string, retryable = false): void {
    this.send({ type: "error", error: { code, message, retryable, ...(eventId ? { event_id: eventId } : {}) } });
  }

  /** The user or client acted: the idle clock starts again. */
  private touch(): void {
    if (this.ending) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.end("idle_timeout"), this.config.idle_timeout_s * 1000);
  }

  private onMessage(m: { text: string } | { bytes: Buffer }): void {
    if (this.ending) return;
    const verdict = this.flood.take(Date.now());
    if (verdict === "close") {
      this.error("rate_limited", "More than 100 messages a second, persistently: the session is closed.", undefined, false);
      void this.end("error", SESSION_CLOSE.rate_limited);
      return;
    }
    if (verdict === "drop_and_warn") this.error("rate_limited", "More than 100 messages a second: the rest of this second is dropped. Send audio in 20–100 ms frames.", undefined, true);
    if (verdict !== "pass") return;
    if ("bytes" in m) return this.onAudio(m.bytes, "binary");
    const parsed = parseClientEvent(m.text);
    if (!parsed.ok) return this.error(parsed.code, parsed.message, parsed.eventId);
    this.onEvent(parsed.event);
  }

  /** Client audio: binary PCM16 frames, a base64 append, or PCM the transport decoded from its audio track. */
  private onAudio(bytes: Uint8Array | string | Int16Array, from: "binary" | "base64" | "track", eventId?: string): void {
    if (this.ending) return;
    // The track streams whatever the microphone hears: ignored, not answered 100 times a second.
    if (this.config.input === "text") return from === "track" ? undefined : this.error("invalid_audio", "This session was created with input: text; send conversation.item.create instead of audio.", eventId);
    if (from === "binary" && !this.audioConfigured) {
      return this.error("invalid_audio", "Send audio_config {sample_rate, channel_count: 1} before binary PCM16 frames (or use input_audio_buffer.append with base64).", eventId);
    }
    const decoded = bytes instanceof Int16Array ? { ok: true as const, pcm: bytes } : typeof bytes === "string" ? pcmFromBase64(bytes) : pcmFromBytes(bytes);
    if (!decoded.ok) return this.error("invalid_audio", decoded.message, eventId);
    if (this.config.turn_detection.type === "none") {
      if (((this.uncommittedSamples + decoded.pcm.length) / this.sampleRate) * 1000 > MAX_UNCOMMITTED_AUDIO_MS) {
        return this.error("input_audio_buffer_full", `At most ${MAX_UNCOMMITTED_AUDIO_MS / 1000} s of audio may wait for input_audio_buffer.commit; commit or clear first.`, eventId);
      }
      this.uncommittedSamples += decoded.pcm.length;
    }
    void this.conversation.then((c) => c?.appendAudio(decoded.pcm));
  }

  private onEvent(e: ClientEvent): void {
    if (e.type === "session.keep_alive") return; // keeps proxies from closing a quiet socket; not activity
    // Audio alone is not activity (a muted microphone still streams silence): the loop reports speech.
    if (e.type === "input_audio_buffer.append") return this.onAudio(e.audio, "base64", e.event_id);
    this.touch();
    if (e.type === "audio_config") {
      this.sampleRate = e.sample_rate;
      this.audioConfigured = true;
    }
    if (e.type === "session.update" && e.session.input_audio_format) {
      this.sampleRate = e.session.input_audio_format.sample_rate;
      this.audioConfigured = true;
    }
    if (e.type === "input_audio_buffer.commit" || e.type === "input_audio_buffer.clear") this.uncommittedSamples = 0;
    void this.conversation.then(async (c) => {
      if (!c || this.ending) return;
      try {
        await c.handle(e);
      } catch (error) {
        if (error instanceof AppError) this.error(error.code, error.message, e.event_id, error.retryable);
        else {
          this.deps.log.error({ err: error, sessionId: this.id, event: e.type }, "conversation failed on a client event");
          this.error("internal_error", "The server failed on this event; it has been logged.", e.event_id, true);
        }
      }
    });
  }

  /** The conversation could not start (or broke): the client hears why, and the session ends. */
  private fail(error: unknown): void {
    if (error instanceof AppError) this.error(error.code, error.message, undefined, error.retryable);
    else {
      this.deps.log.error({ err: error, sessionId: this.id }, "conversation failed to start");
      this.error("internal_error", "The conversation could not start; it has been logged.");
    }
    void this.end("error");
  }

  private onTransportEnd(how: TransportEnd, detail: unknown): void {
    if (this.ending) return;
    if (how === "error") {
      this.deps.log.info({ err: detail, sessionId: this.id, transport: this.transport.kind }, "session transport error");
      void this.end("error", SESSION_CLOSE.internal);
      return;
    }
    // The client's own close ends the session now; a dropped connection is waited for a little first.
    if (how === "closed") {
      void this.end("client_closed");
      return;
    }
    this.graceTimer = setTimeout(() => void this.end("disconnected"), this.deps.disconnectGraceMs);
  }

  /** Ends the session once (later calls wait for the first): tells the client, stops the conversation, writes the row. */
  end(reason: EndReason, closeCode: number = CLOSE_OF[reason] ?? SESSION_CLOSE.normal): Promise<void> {
    this.ending ??= this.finish(reason, closeCode);
    return this.ending;
  }

  private async finish(reason: EndReason, closeCode: number): Promise<void> {
    clearTimeout(this.idleTimer);
    clearTimeout(this.maxTimer);
    clearTimeout(this.graceTimer);
    if (this.transport.open) this.send({ type: "session.ended", reason });
    this.transport.close(closeCode, reason);
    try {
      const conversation = await this.conversation;
      if (conversation) await withTimeout(conversation.close(reason), CLOSE_TIMEOUT_MS);
    } catch (error) {
      this.deps.log.error({ err: error, sessionId: this.id }, "conversation did not close cleanly");
    }
    try {
      await recordEnd(this.deps.db, this.id, reason, this.usage);
    } catch (error) {
      this.deps.log.error({ err: error, sessionId: this.id, reason }, "could not record the session's end");
    } finally {
      this.deps.onEnded(this.id);
    }
  }
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
