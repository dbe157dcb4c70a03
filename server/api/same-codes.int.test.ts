// One error model: a refusal carries one public code, whichever edge answers it. The dashboard's
// import by URL (tRPC) and the public API's (REST) refuse the same URL with the same code.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "../db/client";
import { callRoute, mintKey, seedTenant, useTestDatabase } from "../http/testing/test-api";
import { appRouter } from "./root";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

let db: Db;
let cleanup: () => Promise<void>;
let key: string;
let owner: { id: string; email: string; name: null };

beforeAll(async () => {
  ({ db, cleanup } = await useTestDatabase("pglite"));
  const tenant = await seedTenant(db);
  ({ apiKey: key } = await mintKey(db, tenant.id));
  owner = { id: tenant.ownerUserId, email: "owner@example.test", name: null };
});
afterAll(() => cleanup());

// A loopback address: the SSRF policy refuses it before connecting.
const input = { kind: "image" as const, remoteUrl: "http://127.0.0.1:9/portrait.png" };

describe("the same refusal on every edge", () => {
  it("importing a URL that may not be fetched answers remote_url_not_allowed on REST and tRPC", async () => {
    const route = (await import("@/app/api/v1/assets/remote/route")).POST;
    const rest = await callRoute(route, { method: "POST", path: "/api/v1/assets/remote", key, body: input });
    expect(rest.status).toBe(422);
    expect(await rest.json()).toMatchObject({ code: "remote_url_not_allowed" });

    const res = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://localhost/api/trpc/assets.importRemote", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(superjson.serialize(input)) }),
      router: appRouter,
      createContext: ({ resHeaders }) => ({ db, user: owner, headers: new Headers(), resHeaders }),
    });
    const body = (await res.json()) as { error: { json: { data: { code: string; appCode?: string } } } };
    expect(body.error.json.data).toMatchObject({ code: "BAD_REQUEST", appCode: "remote_url_not_allowed" });
  });
});
