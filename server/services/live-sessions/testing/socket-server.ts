import "server-only";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { OpenConversation } from "../socket/connection";
import { createSessionUpgrade } from "../socket/upgrade";

// A real HTTP server with the live-session upgrade handler, as next-server.mjs wires it: the
// tests' sockets go through the same handshake, auth and framing as production's.

export type SocketServer = { server: Server; origin: string; close: () => Promise<void> };

/** Listens on a free loopback port; plain requests answer 404 (the REST routes are called directly). */
export async function startSocketServer(open: OpenConversation): Promise<SocketServer> {
  const bridge = createSessionUpgrade(open);
  const server = createServer((_req, res) => res.writeHead(404).end());
  server.on("upgrade", (req, socket, head) => {
    if (!bridge.handle(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      await bridge.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
