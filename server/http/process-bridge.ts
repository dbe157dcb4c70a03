import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

// The one bridge between the production server (server/http/next-server.mjs, plain JavaScript beside
// Next.js) and handlers that Next.js bundles: instrumentation.ts registers them here when the server
// process starts, and next-server.mjs calls them when present, falling back to Next.js otherwise.
// Symbol.for keys are process-wide, so both sides find the same slot without importing each other.

/** Where the server listens: route handlers see `http(s)://hostname:port/...` as their URL, as under Next.js. */
export type ServerOrigin = { hostname: string; port: number };

/** Serves the request and returns true, or returns false (untouched) for Next.js to serve. */
export type ApiBridge = (req: IncomingMessage, res: ServerResponse, origin: ServerOrigin) => boolean;

/** Takes an HTTP upgrade (WebSocket) and returns true, or returns false for Next.js to handle. */
export type UpgradeBridge = (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

const API = Symbol.for("tic.api");
const UPGRADE = Symbol.for("tic.upgrade");
type Slots = { [API]?: ApiBridge; [UPGRADE]?: UpgradeBridge };

/** Registers the /api/v1 dispatcher next-server.mjs calls before Next.js. */
export function registerApiBridge(handler: ApiBridge): void {
  (globalThis as Slots)[API] = handler;
}

/** Registers the WebSocket upgrade handler next-server.mjs calls before Next.js. */
export function registerUpgradeBridge(handler: UpgradeBridge): void {
  (globalThis as Slots)[UPGRADE] = handler;
}

/** The registered /api/v1 dispatcher, if any (tests, and servers other than next-server.mjs). */
export function apiBridge(): ApiBridge | undefined {
  return (globalThis as Slots)[API];
}
