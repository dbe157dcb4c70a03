import "server-only";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { SESSION_CLOSE, SESSION_MAX_TEXT_FRAME_BYTES } from "@/core/realtime/session-events";
import { getDb } from "@/server/db/client";
import { getEnv } from "@/server/env";
import { logger } from "@/server/logger";
import { claimSecret, recordEnd, type Claim } from "../connect";
import { LiveConnection, type OpenConversation } from "./connection";
import { endAllSessions, holdSession, releaseSession } from "./registry";
import { WebSocketTransport } from "./ws-transport";

// The session socket's handshake: `GET /api/v1/realtime/sessions/{id}/socket` upgraded by the
// process's HTTP server (next-server.mjs through the bridge, or a test's server). The browser
// authenticates with the session's client secret — `?token=` or a Sec-WebSocket-Protocol entry —
// never an API key. Refusals complete the handshake and then close with a code (4001/4002/4003),
// because a browser never sees the HTTP status of a failed handshake.

export const SOCKET_PATH = /^\/api\/v1\/realtime\/sessions\/(ses_[0-9a-z]{20})\/socket\/?$/;
/** Offer this subprotocol beside the secret and the server echoes it (not the secret). */
export const SESSION_SUBPROTOCOL = "tic-realtime";
const SECRET_PROTOCOL = /^tcs_[A-Za-z0-9_-]{43}$/;

const REFUSAL_CLOSE: Record<Exclude<Claim, { ok: true }>["why"], number> = {
  unauthorized: SESSION_CLOSE.unauthorized,
  secret_expired: SESSION_CLOSE.unauthorized,
  secret_reused: SESSION_CLOSE.secret_reused,
  session_ended: SESSION_CLOSE.session_ended,
};

/** The client secret of a handshake and the subprotocol to answer with. */
export function handshakeSecret(req: IncomingMessage, url: URL): { secret: string | null; protocol: string | undefined } {
  const offered = String(req.headers["sec-websocket-protocol"] ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  const fromProtocol = offered.find((p) => SECRET_PROTOCOL.test(p)) ?? null;
  const secret = url.searchParams.get("token") ?? fromProtocol;
  // A client that offered protocols must get one of them back, or a browser fails the connection.
  const protocol = offered.includes(SESSION_SUBPROTOCOL) ? SESSION_SUBPROTOCOL : (fromProtocol ?? undefined);
  return { secret, protocol };
}

function refuseHttp(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: message, status, code: status === 503 ? "unavailable" : "invalid_input", retryable: status === 503 });
  socket.end(`HTTP/1.1 ${status} ${status === 503 ? "Service Unavailable" : "Bad Request"}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** What the HTTP server calls (server/http/process-bridge.ts registers it for next-server.mjs). */
export type SessionUpgrade = {
  /** Takes the upgrade when it is a session socket's (true), else leaves it (false). */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Ends every open session (`server_shutdown`), bounded in time. */
  close(): Promise<void>;
};

/** The upgrade handler of live-session sockets, with the conversation loop it opens per session. */
export function createSessionUpgrade(open: OpenConversation): SessionUpgrade {
  const chosen = new WeakMap<IncomingMessage, string | undefined>();
  const wss = new WebSocketServer({
    noServer: true,
    // Larger frames close the socket with 1009; the largest legitimate one is a text append.
    maxPayload: SESSION_MAX_TEXT_FRAME_BYTES,
    perMessageDeflate: false,
    handleProtocols: (_protocols, req) => chosen.get(req) ?? false,
  });

  async function accept(req: IncomingMessage, socket: Duplex, head: Buffer, sessionId: string, url: URL): Promise<void> {
    const { secret, protocol } = handshakeSecret(req, url);
    chosen.set(req, protocol);
    const db = await getDb();
    const claim: Claim = secret
      ? await claimSecret(db, sessionId, secret)
      : { ok: false, why: "unauthorized", message: "Connect with the session's client_secret as ?token= or as a Sec-WebSocket-Protocol entry." };
    if (socket.destroyed) {
      // The client left during the lookup: a spent secret must not leave its session `connected`.
      if (claim.ok) await recordEnd(db, sessionId, "disconnected", { speechMs: 0, creditMicros: 0 });
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      if (!claim.ok) {
        ws.send(JSON.stringify({ type: "error", error: { code: claim.why, message: claim.message, retryable: false } }));
        ws.close(REFUSAL_CLOSE[claim.why], claim.why);
        return;
      }
      const env = getEnv();
      const conn = new LiveConnection(new WebSocketTransport(ws), claim.row, {
        db,
        open,
        log: logger,
        disconnectGraceMs: env.REALTIME_SESSION_DISCONNECT_GRACE_MS,
        onEnded: releaseSession,
      });
      holdSession(conn);
    });
  }

  return {
    handle(req, socket, head) {
      let url: URL;
      try {
        url = new URL(req.url ?? "/", "http://localhost");
      } catch {
        return false;
      }
      const match = SOCKET_PATH.exec(url.pathname);
      if (!match) return false;
      socket.on("error", () => socket.destroy());
      accept(req, socket, head, match[1]!, url).catch((error: unknown) => {
        logger.error({ err: error }, "live session handshake failed");
        if (!socket.destroyed) refuseHttp(socket, 503, "The session socket could not be opened; retry shortly.");
      });
      return true;
    },
    async close() {
      await endAllSessions("server_shutdown");
    },
  };
}
