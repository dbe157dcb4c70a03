import { beforeAll, describe, expect, it, vi } from "vitest";
import { TicApiError, TicAvatarClient } from "@/packages/sdk/src";
import type { NextRouteHandler } from "@/server/http/api-route";
import { useTestWorld } from "@/server/testing/test-world";
import { seedCaller } from "../realtime/testing/turn-fixture";

// The SDK's videos.create/stream/list/get/delete against the real route handlers: its fetch hands
// each request to the route Next.js would pick, so paths, methods and bodies must match.

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const world = useTestWorld("videos-sdk");
let client: TicAvatarClient;

beforeAll(async () => {
  const [list, one] = await Promise.all([import("@/app/api/v1/videos/route"), import("@/app/api/v1/videos/[videoId]/route")]);
  const routes: [RegExp, string, NextRouteHandler][] = [
    [/^\/api\/v1\/videos$/, "POST", list.POST],
    [/^\/api\/v1\/videos$/, "GET", list.GET],
    [/^\/api\/v1\/videos\/([^/]+)$/, "GET", one.GET],
    [/^\/api\/v1\/videos\/([^/]+)$/, "DELETE", one.DELETE],
  ];
  const routed = (async (input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(input, init);
    const path = new URL(req.url).pathname;
    for (const [pattern, method, handler] of routes) {
      const m = pattern.exec(path);
      if (m && req.method === method) return handler(req, { params: Promise.resolve<Record<string, string>>(m[1] ? { videoId: decodeURIComponent(m[1]) } : {}) });
    }
    return new Response("no route", { status: 404 });
  }) as typeof fetch;
  const caller = await seedCaller(world.db, 10_000_000);
  client = new TicAvatarClient({ apiKey: caller.key, baseUrl: "http://localhost", fetch: routed });
});

describe("SDK videos", () => {
  it("create → stream → list → get → delete, with the API's errors as TicApiError", async () => {
    const made = await client.videos.create({ text: "Hello from the SDK.", avatar: "astronaut", language: "en" });
    expect(made).toMatchObject({ status: "success", avatar: "astronaut" });
    const streamed = await client.videos.stream({ text: "Streamed.", avatar: "astronaut" });
    expect(streamed.videoId).toMatch(/^vid_/);
    expect((await new Response(streamed.body).arrayBuffer()).byteLength).toBeGreaterThan(1000);
    const page = await client.videos.list({ limit: 10 });
    expect(page.data.map((v) => v.id).sort()).toEqual([made.id, streamed.videoId].sort());
    expect((await client.videos.get(made.id)).id).toBe(made.id);
    await client.videos.delete(made.id);
    const gone = await client.videos.get(made.id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(TicApiError);
    expect((gone as TicApiError).status).toBe(404);
    const unknown = await client.videos.create({ text: "Hi.", avatar: "nobody" }).catch((e: unknown) => e);
    expect((unknown as TicApiError).code).toBe("unknown_avatar");
  });
});
