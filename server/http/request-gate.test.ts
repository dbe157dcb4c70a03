// The gate in front of Next.js, on a real node:http server: what a client sends on the wire.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gate } from "./request-gate.mjs";

let server: Server;
let port: number;
const logged: Record<string, unknown>[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    if (gate(req, res, (line) => logged.push(line))) return;
    res.end("reached the app");
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

function send(method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; type: string; requestId: string; allow: string | undefined; body: string }>((done, fail) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () =>
        done({ status: res.statusCode!, type: String(res.headers["content-type"]), requestId: String(res.headers["x-request-id"]), allow: res.headers.allow, body }),
      );
    });
    req.on("error", fail);
    req.end();
  });
}

describe("request gate", () => {
  it.each(["/api/v1/avatars/%ff", "/api/platform/avatars/%ff/rig", "/api/v1/avatars/%E0%A4%A", "/api/v1/avatars/ava_%00"])("answers %s with the JSON 400", async (path) => {
    const r = await send("GET", path);
    expect(r.status).toBe(400);
    expect(r.type).toBe("application/json");
    expect(JSON.parse(r.body)).toMatchObject({ status: 400, code: "invalid_path", retryable: false, error: expect.stringContaining("percent-encoded") });
    expect(r.requestId).toMatch(/^req_[0-9a-z]{20}$/);
  });

  it("answers a malformed path outside /api/ in plain text", async () => {
    const r = await send("GET", "/files/%ff%fe");
    expect({ status: r.status, type: r.type }).toEqual({ status: 400, type: "text/plain; charset=utf-8" });
  });

  it.each([
    ["TRACE", "/api/health", "application/json"],
    ["TRACE", "/api/demo/speak", "application/json"],
    ["PURGE", "/api/v1/realtime/turn", "application/json"],
    ["PROPFIND", "/api/v1/avatars", "application/json"],
    ["TRACE", "/files/abc", "text/plain; charset=utf-8"],
  ])("answers %s %s with 405 and Allow", async (method, path, type) => {
    const r = await send(method, path, { "x-request-id": "client-chosen-1" });
    expect({ status: r.status, type: r.type, requestId: r.requestId }).toEqual({ status: 405, type, requestId: "client-chosen-1" });
    expect(r.allow).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
  });

  it("lets well-formed requests through untouched, encoded characters included", async () => {
    for (const [method, path] of [["GET", "/api/v1/avatars/ava_abc"], ["POST", "/files/%E4%BD%A0%20x?q=%ff"], ["DELETE", "/platform"]]) {
      expect((await send(method!, path!)).body).toBe("reached the app");
    }
  });

  it("logs each refusal with its request id", () => {
    expect(logged).toContainEqual(expect.objectContaining({ method: "TRACE", path: "/api/health", status: 405, requestId: "client-chosen-1" }));
  });
});
