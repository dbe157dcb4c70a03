// The world of the live-session benches (bench:conversation, bench:webrtc): a fresh PostgreSQL
// database, an enterprise workspace with sandbox credits and a test key (FAQ responder), a prepared
// portrait avatar whose knowledge answers the bench's questions, and the session server in a child
// process (server/http/bench/conversation-server-main.ts: the /api/v1 handlers and the production
// session upgrade on one node:http server, as next-server.mjs wires them; no next build needed).
import { spawn, type ChildProcess } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type LiveBenchWorld = { apiKey: string; avatarId: string; origin: string; port: number; server: ChildProcess; close: () => Promise<void> };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Sets the world up; `close` stops the server and drops the database. */
export async function openLiveBenchWorld(o: { name: string; knowledge: { question: string; answer: string }[] }): Promise<LiveBenchWorld> {
  if (process.env.BENCH_PG_ADMIN_URL) process.env.TEST_PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL;
  process.env.LOG_LEVEL ??= "silent";
  const storage = mkdtempSync(join(tmpdir(), `tic-bench-${o.name}-`));
  process.env.STORAGE_DIR = storage;
  const { createPgDatabase, seedTenant, mintKey } = await import("@/server/http/testing/test-api");
  const pg = await createPgDatabase(`tic_bench_${o.name.replace(/\W/g, "_")}`);
  process.env.DATABASE_URL = pg.url;
  let server: ChildProcess | null = null;
  const close = async () => {
    if (server && server.exitCode === null) {
      const s = server;
      const exited = new Promise((r) => s.once("exit", r));
      s.kill("SIGTERM");
      await Promise.race([exited, sleep(5_000)]);
      if (s.exitCode === null) s.kill("SIGKILL");
    }
    const { resetProcessState } = await import("@/server/process-state");
    await resetProcessState();
    await pg.drop().catch(() => undefined);
    rmSync(storage, { recursive: true, force: true });
  };
  try {
    const { getDb } = await import("@/server/db/client");
    const db = await getDb();
    const { grantCredits } = await import("@/server/services/credits/ledger");
    const { createAvatar } = await import("@/server/services/avatars");
    const { prepareAvatar } = await import("@/server/services/realtime/prepare");
    const { storeReceived } = await import("@/server/services/assets/assets");
    const { receiveToTempFile } = await import("@/server/services/assets/receive");
    const { getStorage } = await import("@/server/services/storage");
    const { DEFAULT_LIMITS } = await import("@/server/services/assets/config");
    const tenant = await seedTenant(db, { plan: "enterprise", name: "Bench" });
    await grantCredits(db, { tenantId: tenant.id, environment: "test", amountMicros: 360_000_000_000, reason: "bench" });
    const { apiKey } = await mintKey(db, tenant.id, { scopes: ["*"], environment: "test" });
    const deps = { storage: getStorage(), limits: DEFAULT_LIMITS, baseUrl: "http://bench.test", policy: () => ({ ok: true as const }) };
    const file = await receiveToTempFile(createReadStream(join(process.cwd(), "public/demo/astronaut.png")), { limits: DEFAULT_LIMITS, expectedKind: () => "image" });
    const asset = await storeReceived(db, tenant.id, file, { expectedKind: () => "image" }, deps);
    const avatar = await createAvatar(db, tenant.id, { displayName: `${o.name} bench`, sourceKind: "image", sourceAssetId: asset.id, settings: { knowledge: o.knowledge } });
    await prepareAvatar(db, tenant.id, avatar.id);

    const spawned = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "server/http/bench/conversation-server-main.ts"], {
      env: {
        ...process.env,
        LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
        // The benches measure the loop, not the limiter refusing their creates.
        API_RATE_LIMITS: JSON.stringify({ enterprise: { keyPerSecond: 1e6, keyBurst: 1e6, tenantPerSecond: 1e6, tenantBurst: 1e6 } }),
        AUTH_SECRET: process.env.AUTH_SECRET ?? "bench-secret-0123456789",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    server = spawned;
    const port = await new Promise<number>((done, fail) => {
      let err = "";
      spawned.stderr!.on("data", (d: Buffer) => {
        err += String(d);
        const m = /listening (\d+)/.exec(err);
        if (m) done(Number(m[1]));
      });
      spawned.once("exit", (code) => fail(new Error(`server exited ${code}: ${err}`)));
    });
    return { apiKey, avatarId: avatar.id, origin: `http://127.0.0.1:${port}`, port, server: spawned, close };
  } catch (error) {
    await close();
    throw error;
  }
}
