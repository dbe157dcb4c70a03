// Servers for bench/api.ts and bench/api-parity.ts, each a child process on a given PostgreSQL database:
// "serve" is the production server (`tic-avatar serve`, needs a `next build` in BENCH_APP_DIR, default
// the repo), "next" the same with /api/v1 routed by Next.js (TIC_API_FAST_PATH=0), "handlers" the
// route handlers behind plain node:http (server/http/node-adapter.ts, no build needed).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { openDatabase } from "@/server/db/client";
import { avatars } from "@/server/db/schema";
import { newId } from "@/core/ids/new-id";
import type { ApiKeyScope } from "@/core/api-keys/scopes";
import { mintKey, seedTenant } from "@/server/http/testing/test-api";

export type ServerKind = "serve" | "next" | "handlers";
export const SERVER_LABELS: Record<ServerKind, string> = {
  serve: "tic-avatar serve (fast path)",
  next: "tic-avatar serve, /api/v1 via Next.js",
  handlers: "handlers only (node:http)",
};

/** A tenant with a key reading avatars and credits, and 20 avatars; returns the key. */
export async function seedBench(url: string, scopes: ApiKeyScope[] = ["avatars:read", "credits:read"]): Promise<string> {
  const handle = await openDatabase(url);
  const tenant = await seedTenant(handle.db, { plan: "enterprise", name: "Bench" });
  const { apiKey } = await mintKey(handle.db, tenant.id, { scopes, environment: "test" });
  await handle.db.insert(avatars).values(
    Array.from({ length: 20 }, (_, i) => ({ id: newId("ava"), tenantId: tenant.id, displayName: `Avatar ${i}`, sourceKind: "image" as const, modelId: "default", status: "ready" as const })),
  );
  await handle.close();
  return apiKey;
}

const appDir = resolve(process.env.BENCH_APP_DIR ?? ".");

/** Starts a server of `kind` on database `url`; resolves with its port once it answers. */
export function startServer(kind: ServerKind, url: string, env: Record<string, string> = {}): Promise<{ port: number; stop: () => void }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const built = kind !== "handlers";
  if (built && !existsSync(resolve(appDir, ".next/BUILD_ID"))) throw new Error(`the ${kind} server needs a production build in ${appDir} (npm run build).`);
  const args = built ? ["bin/tic-avatar.mjs", "serve", "--port", String(port)] : ["--conditions=react-server", "--import", "tsx", "server/http/bench/api-server-main.ts"];
  const child = spawn(process.execPath, args, {
    cwd: built ? appDir : undefined,
    // Its own process group, so stopping it also stops the servers it starts (tic-avatar → next).
    detached: true,
    env: {
      ...process.env,
      DATABASE_URL: url,
      AUTH_SECRET: process.env.AUTH_SECRET ?? "bench-secret-0123456789",
      // The bench measures the edge, not the limiter refusing it: a plan far above the offered load.
      API_RATE_LIMITS: JSON.stringify({ enterprise: { keyPerSecond: 1e6, keyBurst: 1e6, tenantPerSecond: 1e6, tenantBurst: 1e6 } }),
      DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? "10",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      ...(kind === "next" ? { TIC_API_FAST_PATH: "0" } : {}),
      // Cluster workers listening on port 0 would each get their own port; pick one up front.
      BENCH_PORT: String(port),
      ...env,
    },
    // One JSON log line per request is written (as in production) and discarded.
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((done, reject) => {
    let err = "";
    const stop = () => {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
    };
    const poll = setInterval(() => {
      fetch(`http://127.0.0.1:${port}/api/v1/credits/balance`).then(
        (r) => {
          if (r.status === 401) {
            clearInterval(poll);
            done({ port, stop });
          }
        },
        () => undefined,
      );
    }, 300);
    child.stderr.on("data", (d: Buffer) => {
      err = (err + d.toString()).slice(-20_000);
    });
    child.on("exit", (code) => {
      clearInterval(poll);
      reject(new Error(`${kind} server exited (${code}): ${err}`));
    });
  });
}
