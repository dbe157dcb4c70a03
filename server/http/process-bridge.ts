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

/** What next-server calls for an HTTP upgrade, and on SIGTERM/SIGINT before it closes the server. */
export type UpgradeBridge = {
  /** Takes the upgrade (returns true) or leaves it to Next.js (false: not one of our paths). */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Ends whatever the handler holds (open live sessions) before the process exits; bounded in time. */
  close(): Promise<void>;
};

const API = Symbol.for("tic.api");
const UPGRADE = Symbol.for("tic.upgrade");
type Slots = { [API]?: ApiBridge; [UPGRADE]?: UpgradeBridge };

/** Registers the /api/v1 dispatcher next-server.mjs calls before Next.js. */
export function registerApiBridge(handler: ApiBridge): void {
  (globalThis as Slots)[API] = handler;
}

/** Registers the WebSocket upgrade handler next-server.mjs calls before Next.js. */
export function registerUpgradeBridge(bridge: UpgradeBridge): void {
  (globalThis as Slots)[UPGRADE] = bridge;
}

/** The registered /api/v1 dispatcher, if any (tests, and servers other than next-server.mjs). */
export function apiBridge(): ApiBridge | undefined {
  return (globalThis as Slots)[API];
}
