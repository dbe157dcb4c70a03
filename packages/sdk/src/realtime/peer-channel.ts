import { iceGathered } from "../../../../core/realtime/ice-gathering";
import { TicApiError, TicSdkError } from "../rest/errors";
import type { SessionSocket } from "./realtime-session";

// The browser side of a WebRTC session (docs/realtime-sessions.md "WebRTC"): an offer with the
// microphone's audio transceiver, a video transceiver for render: "server", and the `events` data
// channel; your server creates the session with that offer and hands back the answer. The data
// channel then speaks the session socket's protocol (JSON text, avatar-mux bytes), so it is wrapped
// as a SessionSocket; the avatar's voice and video arrive as remote tracks.

/** What POST /api/v1/realtime/sessions answered (the fields the SDK reads), as your server relays it (or the route adapters' answer, whose client_secret is the value itself). */
export interface StartedSession {
  url?: string;
  client_secret?: { value: string } | string;
  transport?: { type: string; sdp?: string };
  /** An API error relayed as it came (`{error, code, status, retryable}`): connect() rejects with it as a TicApiError. */
  error?: string;
  code?: string;
  status?: number;
  retryable?: boolean;
}

/** Asks your server to create the session over `transport` (it calls the API with its key) and returns the answer's body. */
export type StartSession = (transport: { type: "webrtc"; sdp: string } | { type: "websocket" }) => Promise<StartedSession>;

export type PeerConnectionCtor = new (config?: RTCConfiguration) => RTCPeerConnection;


export interface Peer {
  pc: RTCPeerConnection;
  socket: SessionSocket;
  /** The avatar's voice (and video): set once the remote tracks arrive. */
  remote: MediaStream;
  /** Sends `track` as the microphone (null: stop sending). */
  setMicrophone(track: MediaStreamTrack | null): Promise<void>;
  close(): void;
}

/** A data channel as the slice of the WebSocket API RealtimeSession uses. */
class ChannelSocket implements SessionSocket {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  constructor(
    private readonly channel: RTCDataChannel,
    private readonly pc: RTCPeerConnection,
  ) {
    channel.onopen = (ev) => this.onopen?.(ev);
    channel.onmessage = (ev) => this.onmessage?.({ data: ev.data });
    channel.onerror = (ev) => this.onerror?.(ev);
    // The channel closes in order (our close, or the server's after session.ended): 1000, as a socket's close frame.
    // A connection that is lost instead shows as ICE `failed`: 1006, as a socket dropped without one.
    channel.onclose = () => this.closed({ code: 1000, reason: this.closing ? "client_closed" : "closed" });
    pc.addEventListener("connectionstatechange", () => {
      if (pc.connectionState === "failed") this.closed({ code: 1006, reason: "ICE failed" });
    });
  }

  private closing = false;
  private ended = false;

  /** Reported once, whichever of the channel and the connection goes first. */
  private closed(ev: { code: number; reason: string }): void {
    if (this.ended) return;
    this.ended = true;
    this.onclose?.(ev);
  }

  get binaryType(): string {
    return this.channel.binaryType;
  }

  set binaryType(v: string) {
    this.channel.binaryType = v as BinaryType;
  }

  get readyState(): number {
    return this.channel.readyState === "open" ? 1 : this.channel.readyState === "connecting" ? 0 : 3;
  }

  send(data: string | ArrayBufferLike | ArrayBufferView): void {
    if (typeof data === "string") this.channel.send(data);
    else if (ArrayBuffer.isView(data)) this.channel.send(new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength));
    else this.channel.send(data as ArrayBuffer);
  }

  close(): void {
    this.closing = true;
    this.channel.close();
    this.pc.close();
  }
}

/** Offers, has your server create the session with the offer, and applies its answer. Throws TicSdkError when any step fails. */
export async function openPeer(o: { start: StartSession; video: boolean; iceServers?: RTCIceServer[]; RTCPeerConnection?: PeerConnectionCtor }): Promise<Peer> {
  const Ctor = o.RTCPeerConnection ?? (globalThis as { RTCPeerConnection?: PeerConnectionCtor }).RTCPeerConnection;
  if (!Ctor) throw new TicSdkError("network_error", "no RTCPeerConnection in this runtime: use transport websocket");
  const pc = new Ctor({ iceServers: o.iceServers ?? [] });
  try {
    // sendrecv from the start: the microphone's track is put on it later without renegotiating.
    const audio = pc.addTransceiver("audio", { direction: "sendrecv" });
    if (o.video) pc.addTransceiver("video", { direction: "recvonly" });
    const channel = pc.createDataChannel("events");
    channel.binaryType = "arraybuffer";
    const remote = new MediaStream();
    pc.ontrack = (e) => remote.addTrack(e.track);
    await pc.setLocalDescription(await pc.createOffer());
    await iceGathered(pc);
    const created = await o.start({ type: "webrtc", sdp: pc.localDescription!.sdp });
    if (typeof created.error === "string") throw new TicApiError(created.status ?? 422, { error: created.error, code: created.code, retryable: created.retryable });
    const answer = created.transport?.type === "webrtc" ? created.transport.sdp : undefined;
    if (!answer) throw new TicSdkError("bad_response", "the session was not created over WebRTC (its answer has no transport.sdp): does your server pass `transport` through?");
    await pc.setRemoteDescription({ type: "answer", sdp: answer });
    return {
      pc,
      socket: new ChannelSocket(channel, pc),
      remote,
      setMicrophone: (track) => audio.sender.replaceTrack(track),
      close: () => pc.close(),
    };
  } catch (error) {
    pc.close();
    throw error instanceof TicSdkError || error instanceof TicApiError ? error : new TicSdkError("network_error", `WebRTC could not start: ${String((error as Error)?.message ?? error)}`);
  }
}

