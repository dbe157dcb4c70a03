// Child process of bench/conversation.ts: the /api/v1 route handlers behind node:http
// (node-adapter, as bench:api serves them) and, on the same server, the production live-session
// upgrade handler (sessionUpgradeBridge: the real conversation loop), as next-server.mjs wires it.
// Its own process, so the bench reads the server's CPU from /proc and its clients don't share the
// server's event loop. Prints "listening <port>" on stderr; SIGTERM ends its sessions and exits.
import { getDb } from "../../db/client";
import { sessionUpgradeBridge } from "../../services/live-sessions/socket";
import { startApiServer } from "../node-adapter";

await getDb();
const { server, port } = await startApiServer(0);
const bridge = sessionUpgradeBridge();
server.on("upgrade", (req, socket, head) => {
  if (!bridge.handle(req, socket, head)) socket.destroy();
});
process.stderr.write(`listening ${port}\n`);
process.on("SIGTERM", () => void bridge.close().finally(() => process.exit(0)));
