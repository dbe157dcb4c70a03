import { describe, vi } from "vitest";
import { itRefusesHugeBodies } from "@/server/http/testing/body-limit-cases";
import { AUTH_BODY_LIMIT, POST } from "./route";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

describe("POST /api/auth/* body limit", () => {
  itRefusesHugeBodies("refuses a huge %s sign-in body with 413, reading at most the limit", {
    url: "http://localhost/api/auth/callback/credentials",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    maxBytes: AUTH_BODY_LIMIT.maxBytes,
    send: (req) => POST(req, { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) }),
    fill: 0x61,
  });
});
