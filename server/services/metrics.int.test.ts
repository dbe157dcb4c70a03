import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetProcessState } from "@/server/process-state";

// GET /metrics and /health, through the route handlers on an embedded database. The loopback rule is
// checked over a real socket: the server process stamps each request's peer (peer-address.ts), so
// the handler sees 127.0.0.1 only when the request really came from this machine.

async function loadRoutes(env: Record<string, string>) {
  vi.resetModules();
  await resetProcessState();
  vi.stubEnv("AUTH_SECRET", "x".repeat(32));
  vi.stubEnv("DATABASE_URL", "");
  vi.stubEnv("PGLITE_DATA_DIR", "memory://");
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  const metrics = await import("@/app/metrics/route");
  const health = await import("@/app/health/route");
  const { stampPeerAddresses } = await import("@/server/http/peer-address");
  return { metrics, health, stampPeerAddresses };
}

let server: Server | null = null;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = null;
  vi.unstubAllEnvs();
  await resetProcessState();
});

/** Serves `handler` on 127.0.0.1 as a Next route handler would see it: a Request with the process's headers. */
async function serve(handler: (req: Request) => Promise<Response>): Promise<string> {
  server = createServer(async (req, res) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const answer = await handler(new Request(`http://127.0.0.1${req.url}`, { headers }));
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe("GET /metrics", () => {
  it("without METRICS_TOKEN answers this machine (JSON and Prometheus text) and nobody whose peer it cannot see", async () => {
    const { metrics, stampPeerAddresses } = await loadRoutes({});
    // A request without the server's stamp (a proxy's forged X-Forwarded-For changes nothing).
    const blind = await metrics.GET(new Request("http://x/metrics", { headers: { "x-forwarded-for": "127.0.0.1" } }));
    expect(blind.status).toBe(403);
    expect(await blind.json()).toMatchObject({ code: "forbidden", status: 403, retryable: false });

    stampPeerAddresses();
    const base = await serve((r) => metrics.GET(r));
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ sessions: { open_in_process: 0, active: 0, total: 0 }, jobs: {} });
    expect(body.process.rss_bytes).toBeGreaterThan(0);
    expect(body.uptime_s).toBeGreaterThanOrEqual(0);

    const text = await (await fetch(`${base}/metrics?format=prometheus`)).text();
    expect(text).toMatch(/^# HELP tic_uptime_seconds /m);
    expect(text).toMatch(/^tic_live_sessions_total 0$/m);
    expect(text).toMatch(/^tic_process_resident_memory_bytes \d+$/m);
  });

  it("with METRICS_TOKEN needs the bearer token, from anywhere", async () => {
    const { metrics } = await loadRoutes({ METRICS_TOKEN: "m".repeat(24) });
    expect((await metrics.GET(new Request("http://x/metrics"))).status).toBe(401);
    const wrong = await metrics.GET(new Request("http://x/metrics", { headers: { authorization: `Bearer ${"n".repeat(24)}` } }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: "unauthorized" });
    const right = await metrics.GET(new Request("http://x/metrics", { headers: { authorization: `Bearer ${"m".repeat(24)}`, accept: "text/plain" } }));
    expect(right.status).toBe(200);
    expect(right.headers.get("content-type")).toMatch(/^text\/plain/);
  });
});

describe("GET /health", () => {
  it("is the /api/health check", async () => {
    const { health } = await loadRoutes({});
    const res = await health.GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: { status: "ok", driver: "pglite" } });
  });
});
