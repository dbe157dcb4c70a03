// The SSRF corpus: every URL below must be refused before any byte reaches the canary, a listener on
// all local addresses (dual-stack ::). Only the "public" test server at 127.0.0.1:<public port> is
// admitted by the injected policy — it plays the attacker's internet host that redirects inwards.
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPublicAddress } from "./ip-address";
import { safeFetch, SafeFetchError, type AddressPolicy, type Resolver } from "./safe-fetch";

let canary: net.Server;
let canaryHits = 0;
let pub: http.Server;
let C = 0; // canary port
let P = 0; // public server port

const policy: AddressPolicy = (address, port) =>
  address === "127.0.0.1" && port === P ? { ok: true } : checkPublicAddress(address);

// Names the test controls: a public name, a name rebound to loopback, a name mixing public and private answers.
const resolver: Resolver = async (hostname) => {
  if (hostname === "public.test") return [{ address: "127.0.0.1", family: 4 }];
  if (hostname === "rebind.test") return [{ address: "127.0.0.1", family: 4 }];
  if (hostname === "mixed.test") return [{ address: "127.0.0.1", family: 4 }, { address: "10.0.0.7", family: 4 }];
  if (hostname === "v6.test") return [{ address: "::1", family: 6 }];
  if (hostname === "meta.test") return [{ address: "169.254.169.254", family: 4 }];
  const { lookup } = await import("node:dns/promises");
  return lookup(hostname, { all: true });
};

const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

beforeAll(async () => {
  canary = net.createServer((socket) => {
    canaryHits++;
    socket.destroy();
  });
  await new Promise<void>((r) => canary.listen(0, "::", r));
  C = (canary.address() as AddressInfo).port;
  pub = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/redirect") {
      res.writeHead(302, { location: url.searchParams.get("to") ?? "/" });
      return res.end();
    }
    if (url.pathname === "/hops") {
      const n = Number(url.searchParams.get("n"));
      res.writeHead(302, { location: n > 0 ? `/hops?n=${n - 1}` : "/ok" });
      return res.end();
    }
    if (url.pathname === "/ok") {
      res.writeHead(200, { "content-type": "image/png" });
      return res.end(PNG);
    }
    if (url.pathname === "/drip") {
      // One byte every 100 ms, no Content-Length: small in size, endless in time.
      res.writeHead(200, { "content-type": "application/octet-stream" });
      const t = setInterval(() => res.write("x"), 100);
      res.on("close", () => clearInterval(t));
      return;
    }
    if (url.pathname === "/endless") {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      const chunk = Buffer.alloc(64 * 1024, 7);
      const pump = () => {
        while (res.write(chunk)) if (res.destroyed) return;
      };
      res.on("drain", pump);
      return pump();
    }
    if (url.pathname === "/liar") {
      res.writeHead(200, { "content-length": String(10 * 1024 * 1024 * 1024) });
      return res.end("short");
    }
    if (url.pathname === "/404") {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200);
    res.end("hello");
  });
  await new Promise<void>((r) => pub.listen(0, "127.0.0.1", r));
  P = (pub.address() as AddressInfo).port;
});

afterAll(async () => {
  pub.closeAllConnections();
  await new Promise((r) => pub.close(r));
  await new Promise((r) => canary.close(r));
});

const fetchIt = (url: string, extra: { maxBytes?: number; timeoutMs?: number } = {}) =>
  safeFetch(url, { maxBytes: extra.maxBytes ?? 1024 * 1024, timeoutMs: extra.timeoutMs ?? 3000, policy, resolve: resolver });

async function drain(url: string, extra?: { maxBytes?: number; timeoutMs?: number }): Promise<number> {
  const res = await fetchIt(url, extra);
  let n = 0;
  for await (const chunk of res.body) n += chunk.length;
  return n;
}

const direct = () => [
  `http://127.0.0.1:${C}/`,
  `http://127.1:${C}/`,
  `http://127.0.0.2:${C}/`,
  `http://2130706433:${C}/`,
  `http://0x7f000001:${C}/`,
  `http://0x7f.1:${C}/`,
  `http://0177.0.0.1:${C}/`,
  `http://0177.0000.0000.0001:${C}/`,
  `http://017700000001:${C}/`,
  `http://127.000.000.001:${C}/`,
  `http://0.0.0.0:${C}/`,
  `http://0:${C}/`,
  `http://[::1]:${C}/`,
  `http://[0:0:0:0:0:0:0:1]:${C}/`,
  `http://[::]:${C}/`,
  `http://[::ffff:127.0.0.1]:${C}/`,
  `http://[::ffff:7f00:1]:${C}/`,
  `http://[0:0:0:0:0:ffff:127.0.0.1]:${C}/`,
  `http://[::127.0.0.1]:${C}/`,
  `http://[64:ff9b::127.0.0.1]:${C}/`,
  `http://[64:ff9b::a00:1]:${C}/`,
  `http://[2002:7f00:1::]:${C}/`,
  `http://[2002:c0a8:101::1]:${C}/`,
  `http://[fe80::1]:${C}/`,
  `http://[fc00::1]:${C}/`,
  `http://[fd12:3456::1]:${C}/`,
  `http://[ff02::1]:${C}/`,
  `http://10.0.0.1:${C}/`,
  `http://172.16.0.1:${C}/`,
  `http://172.31.255.255:${C}/`,
  `http://192.168.1.1:${C}/`,
  "http://169.254.169.254/latest/meta-data/",
  "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
  `http://100.64.0.1:${C}/`,
  `http://224.0.0.1:${C}/`,
  `http://255.255.255.255:${C}/`,
  `http://240.0.0.1:${C}/`,
  `http://localhost:${C}/`,
  `http://LOCALHOST:${C}/`,
  `https://localhost:${C}/`,
  `http://rebind.test:${C}/`,
  `http://v6.test:${C}/`,
  "http://meta.test/latest/meta-data/",
  // Every answer must pass: the public-looking 127.0.0.1:P answer does not excuse the private one.
  `http://mixed.test:${P}/ok`,
];

const schemes = () => [
  "file:///etc/passwd",
  `ftp://127.0.0.1:${C}/`,
  `gopher://127.0.0.1:${C}/_GET%20/`,
  "data:text/plain,hello",
  "javascript:alert(1)",
  `ws://127.0.0.1:${C}/`,
  `dict://127.0.0.1:${C}/`,
  `http://user:pass@127.0.0.1:${P}/ok`,
  "not a url",
];

const redirected = () =>
  [
    `http://127.0.0.1:${C}/`,
    `http://[::1]:${C}/`,
    `http://2130706433:${C}/`,
    `http://0x7f.1:${C}/`,
    `http://0177.0.0.1:${C}/`,
    `http://[::ffff:127.0.0.1]:${C}/`,
    `http://localhost:${C}/`,
    "http://169.254.169.254/latest/meta-data/",
    `http://10.0.0.1:${C}/`,
    `http://rebind.test:${C}/`,
    `http://[fd00::1]:${C}/`,
    "file:///etc/passwd",
    `gopher://127.0.0.1:${C}/_x`,
    "data:text/html,<script>alert(1)</script>",
  ].map((to) => `http://public.test:${P}/redirect?to=${encodeURIComponent(to)}`);

describe("safeFetch SSRF corpus", () => {
  it("admits the test's public server, by IP and by name, and follows up to 3 redirects", async () => {
    expect(await drain(`http://127.0.0.1:${P}/ok`)).toBe(PNG.length);
    expect(await drain(`http://public.test:${P}/hops?n=2`)).toBe(PNG.length);
  });

  it("has at least 40 URLs", () => {
    expect(direct().length + schemes().length + redirected().length + 1).toBeGreaterThanOrEqual(40);
  });

  it.each([
    ["direct", direct, "address_not_allowed"],
    ["scheme", schemes, undefined],
    ["redirect", redirected, undefined],
  ] as const)("refuses every %s URL and the canary sees no connection", async (_label, corpus, code) => {
    for (const url of corpus()) {
      const error = await fetchIt(url).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, url).toBeInstanceOf(SafeFetchError);
      const e = error as SafeFetchError;
      if (process.env.SSRF_DEBUG) console.log(url, e.code, e.message);
      if (code) expect(e.code, `${url}: ${e.message}`).toBe(code);
      else expect(["address_not_allowed", "scheme_not_allowed", "invalid_url"], `${url}: ${e.message}`).toContain(e.code);
    }
    expect(canaryHits).toBe(0);
  });

  it("checks the socket's connected address too, not only the resolved one (backstop)", async () => {
    // A policy that admits the address when it is resolved/pre-checked and refuses it once connected:
    // the request must still fail, proving the post-connect check runs and is enforced.
    let calls = 0;
    const flaky: AddressPolicy = (address, port) => (++calls === 1 ? policy(address, port) : { ok: false, reason: "changed after resolution" });
    for (const url of [`http://127.0.0.1:${P}/ok`, `http://public.test:${P}/ok`]) {
      calls = 0;
      await expect(safeFetch(url, { maxBytes: 1000, timeoutMs: 2000, policy: flaky, resolve: resolver })).rejects.toMatchObject({ code: "address_not_allowed" });
      expect(calls).toBeGreaterThan(1);
    }
  });

  it("refuses the fourth redirect", async () => {
    await expect(fetchIt(`http://127.0.0.1:${P}/hops?n=3`)).rejects.toMatchObject({ code: "too_many_redirects" });
  });

  it("cuts off a slow drip at the time budget", async () => {
    const started = Date.now();
    await expect(drain(`http://127.0.0.1:${P}/drip`, { timeoutMs: 1000 })).rejects.toMatchObject({ code: "timeout" });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("cuts off an endless body at the byte cap", async () => {
    await expect(drain(`http://127.0.0.1:${P}/endless`, { maxBytes: 1024 * 1024 })).rejects.toMatchObject({ code: "too_large" });
  });

  it("refuses a declared Content-Length over the cap before reading", async () => {
    await expect(fetchIt(`http://127.0.0.1:${P}/liar`)).rejects.toMatchObject({ code: "too_large" });
  });

  it("reports a non-2xx answer", async () => {
    await expect(fetchIt(`http://127.0.0.1:${P}/404`)).rejects.toMatchObject({ code: "http_status" });
  });

  it("has a canary that does count connections (control)", async () => {
    const before = canaryHits;
    await new Promise<void>((r) => net.connect(C, "127.0.0.1").on("close", () => r()).on("error", () => r()));
    await new Promise((r) => setTimeout(r, 50));
    expect(canaryHits).toBe(before + 1);
    canaryHits = before;
  });

  it("uses the public policy by default: even the test server is refused", async () => {
    await expect(safeFetch(`http://127.0.0.1:${P}/ok`, { maxBytes: 1000, timeoutMs: 1000 })).rejects.toMatchObject({ code: "address_not_allowed" });
    expect(canaryHits).toBe(0);
  });
});
