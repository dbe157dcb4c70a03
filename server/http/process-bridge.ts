import "server-only";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

// The bridge between the production server (server/http/next-server.mjs, plain JavaScript outside
// the Next.js bundles) and TypeScript bundled by Next: instrumentation.ts registers handlers on
// well-known global symbols at start-up, and next-server calls them when present, falling back to
// Next otherwise. Symbol.for() names are the same in every bundle and in the .mjs file.

/** What next-server calls for an HTTP upgrade, and on SIGTERM/SIGINT before it closes the server. */
export type UpgradeBridge = {
  /** Takes the upgrade (returns true) or leaves it to Next.js (false: not one of our paths). */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Ends whatever the handler holds (open live sessions) before the process exits; bounded in time. */
  close(): Promise<void>;
};

const UPGRADE = Symbol.for("tic.upgrade");

/** Registers the upgrade handler next-server calls. */
export function registerUpgradeBridge(bridge: UpgradeBridge): void {
  (globalThis as Record<symbol, unknown>)[UPGRADE] = bridge;
}
