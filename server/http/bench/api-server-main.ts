// Child process of bench/api.ts: the API handlers behind node:http on DATABASE_URL; prints the port.
import { getDb } from "../../db/client";
import { startApiServer } from "../node-adapter";

await getDb();
const { port } = await startApiServer(0);
process.stderr.write(`listening ${port}\n`);
