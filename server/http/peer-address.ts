import "server-only";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { processState } from "../process-state";

// Next.js hands route handlers a Request without its socket, and sets X-Forwarded-For from the
// socket only when the client sent none: a client that sends its own header is believed. So the
// server process stamps every request with its peer's address as Node parses it (the
// `http.server.request.start` channel is published before any 'request' listener, Next's included).
// The stamp carries a secret of this process: a client cannot forge one, and a request that arrived
// before the stamp was installed simply has none.

const HEADER = "x-tic-peer";
const state = processState("peerSecret", () => ({ ticPeerSecret: undefined as string | undefined }));

type RequestStart = { request: IncomingMessage; socket: Socket };

/** Stamps the peer address of every HTTP request this process receives from now on (idempotent). */
export function stampPeerAddresses(): void {
  if (state.ticPeerSecret) return;
  const secret = randomBytes(18).toString("base64url");
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as RequestStart;
    // Assigning replaces whatever the client sent under this name.
    request.headers[HEADER] = `${secret} ${socket.remoteAddress ?? ""}`;
  });
  state.ticPeerSecret = secret;
}

/** The socket address of the request's peer, when this process stamped it. */
export function stampedPeer(headers: Headers): string | undefined {
  const secret = state.ticPeerSecret;
  const value = headers.get(HEADER);
  if (!secret || !value) return undefined;
  const space = value.indexOf(" ");
  const given = Buffer.from(value.slice(0, Math.max(space, 0)));
  const expected = Buffer.from(secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return value.slice(space + 1) || undefined;
}
