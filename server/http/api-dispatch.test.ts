import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { apiDispatcher, type RouteFiles } from "./api-dispatch";

// The dispatcher's own duties, with route modules of the test's making: the Request it builds, the
// signal that tells a handler its client left, and answers streamed as they are produced.

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(files: RouteFiles): Promise<string> {
  const dispatch = apiDispatcher(files);
  server = createServer((req, res) => {
    if (!dispatch(req, res, { hostname: "localhost", port: 4321 })) res.writeHead(418).end();
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const unknownPath = async () => new Response("unknown", { status: 404 });

describe("api dispatcher", () => {
  it("gives the handler Next.js's URL, the decoded params, the headers and the body", async () => {
    let seen: Record<string, unknown> = {};
    const base = await serve({
      routes: {
        "/api/v1/things/{thingId}": {
          POST: async (req, ctx) => {
            seen = { url: req.url, params: await ctx.params, body: await req.text(), header: req.headers.get("x-test") };
            return new Response(null, { status: 204 });
          },
        },
      },
      unknownPath,
    });
    const res = await fetch(`${base}/api/v1/things/a%20b?x=1`, { method: "POST", body: "hello", headers: { "x-test": "yes", "x-forwarded-proto": "https" } });
    expect(res.status).toBe(204);
    expect(seen).toEqual({ url: "https://localhost:4321/api/v1/things/a%20b?x=1", params: { thingId: "a b" }, body: "hello", header: "yes" });
  });

  it("prefers a static path over a parameter, and leaves other paths alone", async () => {
    const base = await serve({
      routes: {
        "/api/v1/things/{thingId}": { GET: async () => new Response("param") },
        "/api/v1/things/special": { GET: async () => new Response("static") },
      },
      unknownPath,
    });
    expect(await (await fetch(`${base}/api/v1/things/special`)).text()).toBe("static");
    expect(await (await fetch(`${base}/api/v1/things/other`)).text()).toBe("param");
    expect((await fetch(`${base}/api/v1/things/other/deeper`)).status).toBe(404);
    expect((await fetch(`${base}/api/health`)).status).toBe(418);
    expect((await fetch(`${base}/api/v1/things/`)).status).toBe(418);
  });

  it("aborts the request's signal when the client goes before the answer is finished", async () => {
    let aborted: (reason: unknown) => void;
    const sawAbort = new Promise<unknown>((r) => (aborted = r));
    const base = await serve({
      routes: {
        "/api/v1/slow": {
          GET: (req) =>
            new Promise<Response>(() => {
              req.signal.addEventListener("abort", () => aborted(req.signal.reason));
            }),
        },
      },
      unknownPath,
    });
    const client = request(`${base}/api/v1/slow`);
    client.on("error", () => undefined);
    client.end();
    await new Promise((r) => setTimeout(r, 100));
    client.destroy();
    expect(await sawAbort).toMatchObject({ name: "ResponseAborted" });
  });

  it("streams an answer chunk by chunk as it is produced", async () => {
    let release!: () => void;
    const second = new Promise<void>((r) => (release = r));
    const base = await serve({
      routes: {
        "/api/v1/stream": {
          GET: async () =>
            new Response(
              new ReadableStream<Uint8Array>({
                async start(controller) {
                  controller.enqueue(new TextEncoder().encode("first"));
                  await second;
                  controller.enqueue(new TextEncoder().encode("second"));
                  controller.close();
                },
              }),
              { headers: { "content-type": "application/x-avatar-mux" } },
            ),
        },
      },
      unknownPath,
    });
    const reader = (await fetch(`${base}/api/v1/stream`)).body!.getReader();
    // The first chunk arrives while the second is not even made yet.
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("first");
    release();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("second");
    expect((await reader.read()).done).toBe(true);
  });
});
