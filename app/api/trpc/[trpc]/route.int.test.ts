import { afterAll, beforeAll, describe, vi } from "vitest";
import { useTestDatabase } from "@/server/http/testing/test-api";
import { itRefusesHugeBodies } from "@/server/http/testing/body-limit-cases";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

let cleanup: () => Promise<void>;
let POST: (req: Request) => Promise<Response>;
let limit: number;
beforeAll(async () => {
  ({ cleanup } = await useTestDatabase("pglite"));
  const route = await import("./route");
  POST = route.POST;
  limit = route.TRPC_BODY_LIMIT.maxBytes;
});
afterAll(() => cleanup());

describe("POST /api/trpc body limit", () => {
  itRefusesHugeBodies("refuses a huge %s body with 413, reading at most the limit, before any procedure runs", {
    url: "http://localhost/api/trpc/account.signUp",
    headers: { "content-type": "application/json" },
    maxBytes: () => limit,
    send: (req) => POST(req),
    answer: { code: "payload_too_large" },
  });
});
