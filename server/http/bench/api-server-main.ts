// Child process of bench/api.ts: the API handlers behind node:http on DATABASE_URL; prints the port.
// BENCH_WORKERS > 1 forks that many workers sharing the port (node:cluster), as a deployment would
// run one process per core; each worker then has its own key cache and rate-limit buckets.
import cluster from "node:cluster";
import { getDb } from "../../db/client";
import { startApiServer } from "../node-adapter";

const workers = Number(process.env.BENCH_WORKERS ?? 1);

if (workers > 1 && cluster.isPrimary) {
  let ready = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on("message", (msg: { port?: number }) => {
      if (msg.port && ++ready === workers) process.stderr.write(`listening ${msg.port}\n`);
    });
  }
  process.on("SIGTERM", () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill("SIGTERM");
    process.exit(0);
  });
} else {
  await getDb();
  const { port } = await startApiServer(Number(process.env.BENCH_PORT ?? 0));
  if (cluster.isWorker) process.send?.({ port });
  else process.stderr.write(`listening ${port}\n`);
}
