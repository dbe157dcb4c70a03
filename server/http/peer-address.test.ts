import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveClientAddress } from "./client-address";
import { stampPeerAddresses } from "./peer-address";

// The stamp as a route handler sees it: Node's request headers, copied into a Request's Headers
// (what Next.js does), behind a plain node:http server.
let server: Server;
let url: string;
beforeAll(async () => {
  stampPeerAddresses();
  server = createServer((req, res) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    res.end(resolveClientAddress(headers, undefined));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("peer address stamp", () => {
  it("gives handlers the socket's address, whatever forwarding headers or stamp the client sends", async () => {
    const res = await fetch(url, { headers: { "x-forwarded-for": "6.6.6.6", "x-real-ip": "6.6.6.6", "x-tic-peer": "forged 6.6.6.6" } });
    expect(await res.text()).toBe("127.0.0.1");
  });
});
