import "server-only";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { logger } from "../logger";
import { exclusiveSessions } from "./pglite-exclusive";
import type { Endpoint } from "./pglite-owner";

// The owner of a PGlite folder serves it over the PostgreSQL wire protocol (pglite-socket) so the
// admin CLI, scripts and child processes use the same database instead of opening the folder.
// A unix socket in the run directory (0700: only this user reaches it); TCP on 127.0.0.1 where a unix
// socket cannot be used (Windows, or a path past the ~104-byte limit of sockaddr_un).

const SOCKET_PORT = 5432; // names the socket file: node-postgres dials <host>/.s.PGSQL.<port>
const MAX_SOCKET_PATH = 100;
// Each guest opens one connection; a few guests at once (CLI commands, scripts, a second server).
const MAX_CONNECTIONS = 32;

/** Starts sharing `pglite`; stop() closes the socket and every guest connection (a guest's open transaction rolls back). */
export async function shareDatabase(pglite: PGlite, runDir: string): Promise<{ endpoint: Endpoint; stop: () => Promise<void> }> {
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const path = join(runDir, `.s.PGSQL.${SOCKET_PORT}`);
  const unix = process.platform !== "win32" && Buffer.byteLength(path) <= MAX_SOCKET_PATH;
  if (unix) rmSync(path, { force: true }); // a crashed owner's; this process holds the folder now
  const db = exclusiveSessions(pglite);
  const server = new PGLiteSocketServer(unix ? { db, path, maxConnections: MAX_CONNECTIONS } : { db, host: "127.0.0.1", port: 0, maxConnections: MAX_CONNECTIONS });
  server.addEventListener("error", (event) => logger.warn({ err: (event as CustomEvent).detail }, "pglite socket error"));
  await server.start();
  const endpoint = unix ? { host: runDir, port: SOCKET_PORT } : { host: "127.0.0.1", port: Number(server.getServerConn().split(":").pop()) };
  return { endpoint, stop: () => server.stop() };
}

/** node-postgres settings for a guest: one connection, as PGlite runs one query at a time anyway. */
export function guestPoolConfig(endpoint: Endpoint) {
  return { host: endpoint.host, port: endpoint.port, user: "postgres", database: "postgres", max: 1 };
}
