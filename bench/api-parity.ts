// npm run check:api-parity — the same requests through `tic-avatar serve`'s /api/v1 fast path and
// through Next.js's routing (TIC_API_FAST_PATH=0), on one fresh PostgreSQL database; prints every
// difference in status, headers and body, and exits 1 if there is one. Needs a `next build`.
// Headers that differ by nature (Date, generated ids, the counters in RateLimit) are compared by
// presence only; framing headers not at all; Next.js's `Vary: rsc, …` (its RSC cache key, which the
// fast path does not send) and whether either compresses when asked are printed after the table.
import { createPgDatabase } from "@/server/http/testing/test-api";
import { seedBench, startServer } from "./api-servers";

type Probe = { name: string; method?: string; path: string; key?: "good" | "bad" | "none"; headers?: Record<string, string>; body?: string };

const PROBES: Probe[] = [
  { name: "list avatars", path: "/api/v1/avatars" },
  { name: "balance", path: "/api/v1/credits/balance", headers: { "x-request-id": "parity-1" } },
  { name: "query string, forwarded https", path: "/api/v1/avatars?limit=2&x=%20y", headers: { "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9" } },
  { name: "no key", path: "/api/v1/avatars", key: "none" },
  { name: "unknown key", path: "/api/v1/avatars", key: "bad" },
  { name: "missing scope", path: "/api/v1/usage" },
  { name: "unknown avatar", path: "/api/v1/avatars/ava_doesnotexist0000000" },
  { name: "encoded param", path: "/api/v1/avatars/%E2%82%AC" },
  { name: "unknown path", path: "/api/v1/nothing/here" },
  { name: "bare /api/v1", path: "/api/v1" },
  { name: "unknown path POST", method: "POST", path: "/api/v1/nothing", body: "{}", headers: { "content-type": "application/json" } },
  { name: "405 JSON", method: "POST", path: "/api/v1/credits/balance", body: "{}" },
  { name: "405 PUT", method: "PUT", path: "/api/v1/avatars", body: "{}" },
  { name: "HEAD", method: "HEAD", path: "/api/v1/credits/balance" },
  { name: "OPTIONS", method: "OPTIONS", path: "/api/v1/avatars" },
  { name: "OPTIONS unknown", method: "OPTIONS", path: "/api/v1/nothing" },
  { name: "bad JSON", method: "POST", path: "/api/v1/avatars", body: "{", headers: { "content-type": "application/json" } },
  { name: "too large", method: "POST", path: "/api/v1/avatars", body: JSON.stringify({ displayName: "x".repeat(1_100_000) }), headers: { "content-type": "application/json" } },
  { name: "declared too large upload", method: "POST", path: "/api/v1/assets", body: "x", headers: { "content-type": "multipart/form-data; boundary=x", "content-length-claim": "1" } },
  { name: "revoke unknown key", method: "DELETE", path: "/api/v1/api-keys/key_doesnotexist0000000" },
  { name: "trailing slash (Next.js redirects)", path: "/api/v1/avatars/" },
  { name: "gzip asked", path: "/api/v1/avatars", headers: { "accept-encoding": "gzip" } },
];

// Compared by presence: their values differ between any two requests.
const PRESENCE_ONLY = new Set(["date", "x-request-id", "ratelimit"]);
// Not compared: how the bytes are framed on the connection, and Next.js's RSC cache key (reported below).
const FRAMING = new Set(["keep-alive", "connection", "content-length", "transfer-encoding", "vary"]);

async function probe(port: number, p: Probe, keys: { good: string }) {
  const headers: Record<string, string> = { "accept-encoding": "identity", ...p.headers };
  const key = p.key ?? "good";
  if (key === "good") headers.authorization = `Bearer ${keys.good}`;
  if (key === "bad") headers.authorization = "Bearer tic_test_0000000000000000000000000000000000";
  const res = await fetch(`http://127.0.0.1:${port}${p.path}`, { method: p.method ?? "GET", headers, body: p.body, redirect: "manual" });
  const raw = await res.text();
  const body = raw.replace(/"(id|createdAt|updatedAt|requestId)":"[^"]*"/g, '"$1":"…"').replace(/req_[0-9a-z]{20}/g, "req_…");
  return { status: res.status, headers: Object.fromEntries(res.headers), body };
}

async function main() {
  const db = await createPgDatabase("tic_parity");
  const stops: (() => void)[] = [];
  try {
    const good = await seedBench(db.url, ["avatars:read", "avatars:write", "credits:read", "api_keys:write"]);
    const fast = await startServer("serve", db.url);
    stops.push(fast.stop);
    const next = await startServer("next", db.url);
    stops.push(next.stop);
    let differences = 0;
    for (const p of PROBES) {
      const [a, b] = [await probe(fast.port, p, { good }), await probe(next.port, p, { good })];
      const diffs: string[] = [];
      if (a.status !== b.status) diffs.push(`status ${a.status} (fast) vs ${b.status} (Next.js)`);
      for (const name of new Set([...Object.keys(a.headers), ...Object.keys(b.headers)])) {
        const [x, y] = [a.headers[name], b.headers[name]];
        if (FRAMING.has(name)) continue;
        if (PRESENCE_ONLY.has(name) ? (x === undefined) !== (y === undefined) : x !== y) {
          diffs.push(`header ${name}: ${x ?? "(absent)"} (fast) vs ${y ?? "(absent)"} (Next.js)`);
        }
      }
      if (a.body !== b.body) diffs.push(`body ${a.body.slice(0, 160)} (fast) vs ${b.body.slice(0, 160)} (Next.js)`);
      console.log(`${diffs.length ? "DIFF" : "same"}  ${p.name.padEnd(36)} ${a.status}${diffs.map((d) => `\n      ${d}`).join("")}`);
      differences += diffs.length;
    }
    const vary = await probe(next.port, PROBES[0]!, { good });
    console.log(`not compared: framing headers; vary: ${vary.headers.vary ?? "(none)"} (Next.js) vs ${(await probe(fast.port, PROBES[0]!, { good })).headers.vary ?? "(none)"} (fast)`);
    const gz = await fetch(`http://127.0.0.1:${next.port}/api/v1/avatars`, { headers: { authorization: `Bearer ${good}`, "accept-encoding": "gzip" } });
    const gzFast = await fetch(`http://127.0.0.1:${fast.port}/api/v1/avatars`, { headers: { authorization: `Bearer ${good}`, "accept-encoding": "gzip" } });
    console.log(`asked for gzip: content-encoding ${gz.headers.get("content-encoding") ?? "(none)"} (Next.js) vs ${gzFast.headers.get("content-encoding") ?? "(none)"} (fast)`);
    process.exitCode = differences ? 1 : 0;
  } finally {
    for (const stop of stops) stop();
    await new Promise((r) => setTimeout(r, 500));
    await db.drop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
