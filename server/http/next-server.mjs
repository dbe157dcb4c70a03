// @ts-check
// The production HTTP server: Next.js behind server/http/request-gate.mjs, which refuses the methods and
// malformed paths Next.js cannot handle (405/400) before it sees them. `tic-avatar serve` starts this in
// place of `next start`; it serves the same build the same way otherwise.
//   node server/http/next-server.mjs --port 3000 [--hostname 0.0.0.0]
import { EventEmitter } from "node:events";
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import pino from "pino";
import { gate } from "./request-gate.mjs";

const { values } = parseArgs({ options: { port: { type: "string" }, hostname: { type: "string" } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname; // undefined: every interface, as `next start`

// The same line shape as server/logger.ts (that module is TypeScript inside the Next.js bundles).
const log = pino({ level: process.env.LOG_LEVEL ?? "info", base: { service: "tic-avatar" }, timestamp: pino.stdTimeFunctions.isoTime });

// On its first request Next attaches its own `upgrade` listener to `httpServer` (or the request's server);
// beside ours it would answer every upgrade a second time (and end a session socket mid-handshake).
// It gets an emitter that never fires: upgrades are dispatched once, below, Next's handler the fallback.
const upgradesNotForNext = /** @type {import("node:http").Server} */ (/** @type {unknown} */ (new EventEmitter()));
const app = next({ dev: false, dir: process.cwd(), port, hostname: hostname ?? "localhost", httpServer: upgradesNotForNext });
await app.prepare();
const handle = app.getRequestHandler();

const server = createServer((req, res) => {
  if (gate(req, res, (line) => log.info(line, "request refused before routing"))) return;
  handle(req, res).catch((err) => {
    log.error({ err }, "request handler failed");
    if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
    res.end("Internal Server Error\n");
  });
});
// Live-session sockets are ours (registered by instrumentation.ts, server/http/process-bridge.ts); the rest is Next's.
const upgradeBridge = () => /** @type {{ handle: Function, close: () => Promise<void> } | undefined} */ (globalThis[Symbol.for("tic.upgrade")]);
// Next.js runs instrumentation.ts (which registers the bridge) on its first request, not at start: one is
// made as soon as the server listens, and an upgrade that comes before it has run waits for it.
/** @type {Promise<void>} */
let warmed = Promise.resolve();
async function warmUp() {
  const host = !hostname || hostname === "0.0.0.0" ? "127.0.0.1" : hostname === "::" ? "[::1]" : hostname;
  try {
    await (await globalThis.fetch(`http://${host}:${port}/api/health`)).arrayBuffer();
  } catch (err) {
    log.warn({ err }, "warm-up request failed; the first request will start the app");
  }
}
server.on("upgrade", (req, socket, head) => {
  const dispatch = () => {
    if (upgradeBridge()?.handle(req, socket, head)) return;
    app.getUpgradeHandler()(req, socket, head).catch(() => socket.destroy());
  };
  if (upgradeBridge()) dispatch();
  else void warmed.finally(dispatch);
});
server.listen(port, hostname, () => {
  log.info({ port, hostname: hostname ?? "*" }, "next server listening");
  warmed = warmUp();
});

for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  // Open live sessions end first (`server_shutdown`, rows written), then the server stops taking requests.
  process.on(signal, () => {
    Promise.resolve(upgradeBridge()?.close())
      .catch((err) => log.error({ err }, "ending live sessions failed"))
      .finally(() => server.close(() => process.exit(0)));
  });
}
