// A second server instance for the cross-instance tests: the session socket (with the echo
// conversation) on DATABASE_URL in its own process. Prints "listening <origin>" on stderr; SIGTERM
// ends its sessions (server_shutdown) and exits.
//   node --conditions=react-server --import tsx server/services/live-sessions/testing/socket-instance-main.ts
import { getDb } from "../../../db/client";
import { echoConversations } from "./echo-conversation";
import { startSocketServer } from "./socket-server";

await getDb();
const server = await startSocketServer(echoConversations({ speechMsPerReply: 700 }).open);
process.stderr.write(`listening ${server.origin}\n`);
process.on("SIGTERM", () => void server.close().finally(() => process.exit(0)));
