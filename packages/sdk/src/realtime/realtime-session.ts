import type { ServerEvent } from "../../../../core/realtime/session-events";
import type { AvatarPlayer } from "../player/avatar-player";
import { TicSdkError } from "../rest/errors";
import { openMicrophone, type Microphone } from "./microphone";
import { openPeer, type Peer, type PeerConnectionCtor, type StartSession } from "./peer-channel";
import { SessionDemux } from "./session-demux";
import { Emitter, parseServerEvent, type RealtimeSessionEvents } from "./session-emitter";
import * as msg from "./session-messages";

/** The slice of the WebSocket API the session uses (browsers' WebSocket; `ws` in Node). */
export interface SessionSocket {
  binaryType: string;
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string | ArrayBufferLike | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
}
export type SessionSocketCtor = new (url: string, protocols?: string | string[]) => SessionSocket;

export type ToolHandler = (args: unknown, call: { callId: string; name: string }) => unknown;

export type RealtimeTransport = "webrtc" | "websocket";

export interface RealtimeSessionOptions {
  /** `url` from POST /api/v1/realtime/sessions (your server creates the session with its API key). */
  url?: string;
  /** `client_secret.value` of the same answer: short-lived and single-use; never an API key. */
  clientSecret?: string;
  /**
   * Instead of url + clientSecret: asks your server to create the session with the transport the
   * SDK chose (for WebRTC, with the browser's SDP offer) and returns the create call's answer body.
   * Needed for WebRTC.
   */
  start?: StartSession;
  /**
   * `webrtc`: the voice as audio tracks (the browser's echo canceller removes the avatar from the
   * microphone), events and motion on a data channel. `websocket`: everything on the session socket.
   * `auto` (the default with `start`): WebRTC, falling back to the socket when it cannot start.
   */
  transport?: RealtimeTransport | "auto";
  /** Plays the avatar's voice track (WebRTC); default: a detached <audio> element the session makes. */
  audioElement?: HTMLAudioElement;
  /** Shows the server-rendered video track (WebRTC, render: "server"); offering video needs it. */
  videoElement?: HTMLVideoElement;
  /** STUN/TURN servers of the browser's peer (WebRTC). */
  iceServers?: RTCIceServer[];
  /** How long the data channel may take to open before WebRTC counts as failed (default 10 s). */
  peerTimeoutMs?: number;
  RTCPeerConnection?: PeerConnectionCtor;
  /** Plays the avatar; give it the page's AudioContext so capture and playback share one graph. */
  player?: AvatarPlayer;
  /** Needed for the microphone (and the player's clock). Create/resume it from a user gesture. */
  audioContext?: AudioContext;
  /** Send the secret as the `token` query parameter (default) or as the WebSocket subprotocol. */
  auth?: "query" | "protocol";
  /** PCM16 rate sent to the server; the session's `input_sample_rate` (16 kHz default). */
  inputSampleRate?: number;
  /** Length of each microphone frame sent (20–40 ms; default 20). */
  frameMs?: number;
  /** How often `buffer_status` reports playback (default 200 ms). */
  bufferStatusMs?: number;
  /** Playout buffer of each answer (default: the player's own). */
  playoutDelayMs?: number;
  /** WebSocket constructor (Node: `ws`); defaults to the global one. */
  WebSocket?: SessionSocketCtor;
}

const OPEN = 1;
/** Offered beside the secret: the server answers with it, so the secret is never echoed back. */
export const SESSION_SUBPROTOCOL = "tic-realtime";

/**
 * A live conversation with an avatar over its session socket: the microphone streams PCM16 frames up,
 * the avatar comes down as avatar-mux records played by AvatarPlayer, and JSON events tell what
 * happens (status, transcripts, tool calls, interruptions). Runs in the browser with the client
 * secret only.
 */
export class RealtimeSession {
  private readonly o: RealtimeSessionOptions;
  private readonly emitter = new Emitter<RealtimeSessionEvents>();
  private readonly tools = new Map<string, ToolHandler>();
  private readonly demux: SessionDemux;
  private socket: SessionSocket | null = null;
  private peer: Peer | null = null;
  private using: RealtimeTransport | null = null;
  private mic: Microphone | null = null;
  private statusTimer: ReturnType<typeof setInterval> | null = null;
  private playing: Promise<unknown> = Promise.resolve();
  private readonly replies = new Map<string, string>();
  private readonly heard = new Map<string, string>();
  private readonly inputRate: number;
  private closed = false;
  private peerMic: MediaStream | null = null;

  constructor(options: RealtimeSessionOptions) {
    this.o = options;
    this.inputRate = options.inputSampleRate ?? 16_000;
    this.demux = new SessionDemux((turn) => {
      const player = this.o.player;
      if (!player) return;
      // Answers play one after another: the next waits for the tail of the last one (an interruption stops it at once).
      this.playing = this.playing.then(() => player.playEvents(turn.events, this.o.playoutDelayMs)).catch((error) => this.emitter.emit("error", { code: "playback_failed", message: String((error as Error)?.message ?? error), retryable: false }));
    });
  }

  /** Subscribe to a typed event; returns the unsubscribe function. */
  on<K extends keyof RealtimeSessionEvents>(type: K, fn: (value: RealtimeSessionEvents[K]) => void): () => void {
    return this.emitter.on(type, fn);
  }

  /** Answers the model's calls of tool `name` (declared in the session's `tools`) with what `handler` returns. */
  onTool(name: string, handler: ToolHandler): this {
    this.tools.set(name, handler);
    return this;
  }

  /** The transport in use once connect() chose it (with `auto`: which one worked). */
  get transport(): RealtimeTransport | null {
    return this.using;
  }

  /** The avatar's remote voice (and video) tracks over WebRTC; null over the socket. */
  get remoteStream(): MediaStream | null {
    return this.peer?.remote ?? null;
  }

  /** Connects over the chosen transport; resolves with the session once the server confirmed it (`session.created`). */
  async connect(): Promise<RealtimeSessionEvents["created"]> {
    if (this.socket) throw new TicSdkError("bad_response", "this RealtimeSession is already connected; create a new one per session");
    const choice = this.o.transport ?? (this.o.start ? "auto" : "websocket");
    if (choice !== "websocket") {
      if (!this.o.start) throw new TicSdkError("bad_response", "transport webrtc needs options.start: your server creates the session with the browser's SDP offer");
      try {
        return await this.connectPeer(this.o.start);
      } catch (error) {
        if (choice === "webrtc") throw error;
        this.peer?.close();
        this.peer = null;
        this.o.player?.setDestination(undefined); // the socket carries the voice again
        this.socket = null;
        this.closed = false;
      }
    }
    let url = this.o.url;
    let secret = this.o.clientSecret;
    if (!url || !secret) {
      if (!this.o.start) throw new TicSdkError("bad_response", "pass url and clientSecret (or start) to RealtimeSession");
      const created = await this.o.start({ type: "websocket" });
      url = created.url;
      secret = typeof created.client_secret === "string" ? created.client_secret : created.client_secret?.value;
      if (!url || !secret) throw new TicSdkError("bad_response", "the session's answer has no url and client_secret");
    }
    const Ctor = this.o.WebSocket ?? (globalThis as { WebSocket?: SessionSocketCtor }).WebSocket;
    if (!Ctor) throw new TicSdkError("network_error", "no WebSocket in this runtime; pass options.WebSocket (e.g. the ws package in Node)");
    const byProtocol = this.o.auth === "protocol";
    const socket = byProtocol ? new Ctor(url, [SESSION_SUBPROTOCOL, secret]) : new Ctor(msg.authorisedUrl(url, secret));
    socket.binaryType = "arraybuffer";
    this.using = "websocket";
    return this.attach(socket);
  }

  /** WebRTC: the offer through `start`, the remote tracks to their elements, the player muted (the track is what is heard). */
  private async connectPeer(start: StartSession): Promise<RealtimeSessionEvents["created"]> {
    const player = this.o.player;
    if (player && !this.o.audioContext) throw new TicSdkError("bad_response", "transport webrtc with a player needs options.audioContext (the player's own sound is muted; the voice track plays)");
    const peer = await openPeer({ start, video: !!this.o.videoElement, iceServers: this.o.iceServers, RTCPeerConnection: this.o.RTCPeerConnection });
    this.peer = peer;
    const audio = this.o.audioElement ?? new Audio();
    audio.autoplay = true;
    audio.srcObject = peer.remote;
    void audio.play().catch(() => undefined); // autoplay rules: the page resumes it from a gesture
    const video = this.o.videoElement;
    if (video) {
      video.muted = true; // the voice plays from the audio element; a second copy would echo
      video.srcObject = peer.remote;
      void video.play().catch(() => undefined);
    }
    if (player && this.o.audioContext) {
      // The player still runs the motion on its audio clock, in step with the track; only its sound is silenced.
      const silent = this.o.audioContext.createGain();
      silent.gain.value = 0;
      silent.connect(this.o.audioContext.destination);
      player.setDestination(silent);
    }
    this.using = "webrtc";
    const timeoutMs = this.o.peerTimeoutMs ?? 10_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TicSdkError("network_error", `the WebRTC data channel did not open within ${timeoutMs} ms`)), timeoutMs)));
    try {
      return await Promise.race([this.attach(peer.socket), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs the session protocol over an opened or opening socket (the WebSocket, or the WebRTC data channel). */
  private attach(socket: SessionSocket): Promise<RealtimeSessionEvents["created"]> {
    this.socket = socket;
    return new Promise((resolve, reject) => {
      const offCreated = this.on("created", (s) => {
        offCreated();
        resolve(s);
      });
      socket.onmessage = (ev) => this.receive(ev.data);
      socket.onerror = () => undefined; // the close that follows carries the code
      socket.onclose = (ev) => {
        offCreated();
        this.teardown();
        this.emitter.emit("close", { code: ev.code, reason: ev.reason });
        reject(new TicSdkError("network_error", `the session socket closed (${ev.code}${ev.reason ? `: ${ev.reason}` : ""}) before the session started`));
      };
      socket.onopen = () => {
        this.send(msg.audioConfig(this.inputRate));
        this.statusTimer = setInterval(() => this.reportPlayback(), this.o.bufferStatusMs ?? 200);
      };
    });
  }

  /** Starts streaming the microphone (or `stream`) to the avatar. */
  async startMicrophone(stream?: MediaStream): Promise<MediaStream> {
    if (this.peer) {
      // WebRTC: the microphone is the audio track itself (Opus, with the browser's echo cancellation).
      const mic = stream ?? (await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true } }));
      await this.peer.setMicrophone(mic.getAudioTracks()[0] ?? null);
      this.peerMic = mic;
      return mic;
    }
    if (!this.o.audioContext) throw new TicSdkError("bad_response", "pass audioContext to RealtimeSession to use the microphone");
    if (this.mic) return this.mic.stream;
    this.mic = await openMicrophone({ audioContext: this.o.audioContext, sampleRate: this.inputRate, frameMs: this.o.frameMs ?? 20, stream, onFrame: (pcm) => this.sendAudio(pcm) });
    return this.mic.stream;
  }

  /** Stops the microphone; the session stays open (type, or start it again). */
  stopMicrophone(): void {
    this.mic?.stop();
    this.mic = null;
    if (this.peerMic) {
      void this.peer?.setMicrophone(null).catch(() => undefined);
      for (const t of this.peerMic.getTracks()) t.stop();
      this.peerMic = null;
    }
  }

  /** Sends PCM16 mono samples at the session's input rate (what the microphone does for you). */
  sendAudio(pcm: Int16Array): void {
    if (this.socket?.readyState !== OPEN) return;
    this.socket.send(pcm);
  }

  /** Says something to the avatar in writing; it answers as it would to speech. */
  sendText(text: string): void {
    this.send(msg.userText(text));
  }

  /** Has the avatar say `text` verbatim (no LLM; our `avatar.speak`): it cuts what the avatar is saying. */
  speak(text: string): void {
    this.send(msg.speakText(text));
  }

  /** Stops the avatar now: playback drops what it buffered, the server stops generating. */
  interrupt(): void {
    this.o.player?.stop();
    this.demux.finish();
    this.send(msg.cancelResponse());
  }

  /** Ends the conversation: microphone off, playback stopped, socket closed. */
  close(): void {
    if (this.closed) return;
    this.teardown();
    this.socket?.close(1000, "client_closed");
    this.peer?.close();
  }

  private teardown(): void {
    this.closed = true;
    this.stopMicrophone();
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.statusTimer = null;
    this.demux.finish();
    this.o.player?.stop();
  }

  private send(event: unknown): void {
    if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify(event));
  }

  private reportPlayback(): void {
    const stats = this.o.player?.stats;
    this.send(msg.bufferStatus(stats?.bufferedMs ?? 0, (stats?.playedSeconds ?? 0) * 1000));
  }

  private receive(data: unknown): void {
    if (typeof data !== "string") {
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
      if (!bytes) return;
      try {
        this.demux.push(bytes);
      } catch (error) {
        this.emitter.emit("error", { code: (error as { code?: string }).code ?? "bad_stream", message: String((error as Error).message), retryable: false });
      }
      return;
    }
    const event = parseServerEvent(data);
    if (!event) return;
    this.emitter.emit("event", event);
    this.dispatch(event);
  }

  private dispatch(e: ServerEvent): void {
    switch (e.type) {
      case "session.created":
        // The rate we send stays the one audio_config declared (the microphone resamples to it).
        return this.emitter.emit("created", e.session);
      case "status":
        return this.emitter.emit("status", e.status);
      case "conversation.item.input_audio_transcription.delta": {
        const text = (this.heard.get(e.item_id) ?? "") + e.delta;
        this.heard.set(e.item_id, text);
        return this.emitter.emit("user_transcript", { itemId: e.item_id, text, final: false });
      }
      case "conversation.item.input_audio_transcription.completed":
        this.heard.delete(e.item_id);
        return this.emitter.emit("user_transcript", { itemId: e.item_id, text: e.transcript, final: true });
      case "response.created":
        this.demux.begin(e.response.id);
        return;
      case "response.text.delta": {
        const text = (this.replies.get(e.response_id) ?? "") + e.delta;
        this.replies.set(e.response_id, text);
        return this.emitter.emit("text", { responseId: e.response_id, delta: e.delta, text });
      }
      case "response.function_call":
        this.emitter.emit("function_call", { responseId: e.response_id, callId: e.call_id, name: e.name, arguments: e.arguments });
        void this.runTool(e.call_id, e.name, e.arguments);
        return;
      case "response.interrupted":
        // Drop the buffered tail at once: the user must not hear what the avatar will not remember saying.
        this.o.player?.stop();
        this.demux.finish();
        return this.emitter.emit("interrupted", { responseId: e.response_id, playedMs: e.played_ms, reason: e.reason });
      case "response.done":
        this.demux.finish();
        this.replies.delete(e.response.id);
        return this.emitter.emit("done", e.response);
      case "session.ended":
        this.stopMicrophone();
        return this.emitter.emit("ended", { reason: e.reason });
      case "error":
        return this.emitter.emit("error", e.error);
      default:
        return;
    }
  }

  private async runTool(callId: string, name: string, args: string): Promise<void> {
    const handler = this.tools.get(name);
    let output: string;
    if (!handler) output = JSON.stringify({ error: `no handler for tool "${name}" in this client` });
    else {
      try {
        output = msg.toolResultText(await handler(args ? JSON.parse(args) : {}, { callId, name }));
      } catch (error) {
        // The model is told the call failed, in words it can relay, rather than waiting out the deadline.
        output = JSON.stringify({ error: String((error as Error)?.message ?? error) });
      }
    }
    this.send(msg.toolOutput(callId, output));
  }
}
