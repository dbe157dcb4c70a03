import "server-only";
import type { RawData, WebSocket } from "ws";
import type { ServerEvent } from "@/core/realtime/session-events";
import type { SessionTransport, TransportHandlers } from "./transport";

// The session over its WebSocket: JSON text frames both ways, avatar-mux bytes as binary frames,
// PCM16 binary frames up. Liveness by ping/pong: a socket that missed a pong by the next ping is dropped.

/** How often the server pings; a socket that missed a pong by the next ping is dropped. */
export const PING_INTERVAL_MS = 15_000;
/** RFC 6455: the connection ended without a close frame. */
const ABNORMAL_CLOSURE = 1006;

export class WebSocketTransport implements SessionTransport {
  readonly kind = "websocket" as const;
  private pingTimer: NodeJS.Timeout | undefined;
  private awaitingPong = false;

  constructor(private readonly ws: WebSocket) {}

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  listen(h: TransportHandlers): void {
    let ended = false;
    const end = (how: "closed" | "dropped" | "error", detail?: unknown) => {
      clearInterval(this.pingTimer);
      if (ended) return;
      ended = true;
      h.ended(how, detail);
    };
    this.ws.on("message", (data: RawData, isBinary: boolean) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      h.message(isBinary ? { bytes } : { text: bytes.toString("utf8") });
    });
    // A close frame (any code, or none: 1005) is the client's end; a dropped connection (1006) is waited for a little first.
    this.ws.on("close", (code: number) => end(code === ABNORMAL_CLOSURE ? "dropped" : "closed"));
    // A protocol violation (oversize frame: 1009, bad UTF-8: 1007) closes the socket; ws reports it here.
    this.ws.on("error", (err) => end("error", err));
    this.ws.on("pong", () => (this.awaitingPong = false));
    this.pingTimer = setInterval(() => this.ping(), PING_INTERVAL_MS);
  }

  private ping(): void {
    if (this.awaitingPong) {
      this.ws.terminate(); // no pong since the last ping: the peer is gone
      return;
    }
    this.awaitingPong = true;
    this.ws.ping();
  }

  sendEvent(e: ServerEvent): void {
    if (this.open) this.ws.send(JSON.stringify(e));
  }

  sendRecord(bytes: Uint8Array): void {
    if (this.open) this.ws.send(bytes, { binary: true });
  }

  dropMedia(): void {
    // Nothing is queued here: the client's player drops its buffer on response.interrupted.
  }

  bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  close(code: number, reason: string): void {
    clearInterval(this.pingTimer);
    if (this.open) this.ws.close(code, reason);
  }
}
