// Oversized bodies on the public API are refused as soon as they pass their route's limit, whether
// declared (Content-Length) or streamed, and also when an Idempotency-Key makes the edge read the
// body first (the spool). "Refused without reading it" is measured in bytes pulled from the client.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { apiTestDatabaseKind, mintKey, seedTenant, useTestDatabase } from "./testing/test-api";
import { countedBody, READ_SLACK, requestWith } from "./testing/counted-body";
import { API_JSON_LIMIT } from "../services/request-body";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const HUGE = 64 * 1024 * 1024;
const spoolDir = mkdtempSync(join(tmpdir(), "tic-spool-test-"));
const savedTmp = process.env.TMPDIR;
let cleanup: () => Promise<void>;
let key: string;
let createAvatar: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

beforeAll(async () => {
  const opened = await useTestDatabase(apiTestDatabaseKind());
  cleanup = opened.cleanup;
  const tenant = await seedTenant(opened.db, { plan: "enterprise" });
  key = (await mintKey(opened.db, tenant.id, { scopes: ["avatars:write"] })).apiKey;
  ({ POST: createAvatar } = await import("@/app/api/v1/avatars/route"));
  // The spool writes under os.tmpdir(): point it at a folder of this test's own.
  process.env.TMPDIR = spoolDir;
});
afterAll(async () => {
  process.env.TMPDIR = savedTmp;
  if (savedTmp === undefined) delete process.env.TMPDIR;
  rmSync(spoolDir, { recursive: true, force: true });
  await cleanup();
});

describe("public API body limits", () => {
  it.each([
    ["streamed", undefined, {}],
    ["declared", HUGE, {}],
    ["streamed with an Idempotency-Key", undefined, { "idempotency-key": "huge-1" }],
    ["declared with an Idempotency-Key", HUGE, { "idempotency-key": "huge-2" }],
  ] as const)("refuses a JSON body over 1 MiB (%s) with 422 payload_too_large, reading at most the limit", async (_name, declared, extra) => {
    const body = countedBody(HUGE);
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json", ...extra };
    const res = await createAvatar(requestWith("http://localhost/api/v1/avatars", body, headers, declared), { params: Promise.resolve({}) });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ status: 422, code: "payload_too_large", retryable: false, error: expect.stringContaining("1 MiB") });
    expect(res.headers.get("connection")).toBe("close");
    expect(body.pulled()).toBeLessThanOrEqual(declared === undefined ? API_JSON_LIMIT.maxBytes + READ_SLACK : 0);
    expect(readdirSync(spoolDir)).toEqual([]);
  });
});
