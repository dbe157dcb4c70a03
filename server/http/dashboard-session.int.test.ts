// The dashboard's route handlers (app/api/platform/**) share one edge, dashboardRoute: signed-in user,
// same origin, active workspace (a suspended one refused with 403 tenant_suspended, like the REST API),
// body limit, request id and one log line.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import type { SessionUser } from "../auth/session";
import type { Db } from "../db/client";
import { tenants } from "../db/schema";
import { DEFAULT_LIMITS } from "../services/assets/config";
import { platformUpload } from "../services/assets/platform-upload";
import { LocalStorage } from "../services/storage/local-storage";
import { captureLogs } from "../testing/capture-logs";
import { dashboardRoute, type SessionLookup } from "./dashboard-route";
import { itRefusesHugeBodies } from "./testing/body-limit-cases";
import { apiTestDatabaseKind, seedTenant, useTestDatabase } from "./testing/test-api";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const storageDir = mkdtempSync(join(tmpdir(), "tic-storage-"));
const uploadTmp = mkdtempSync(join(tmpdir(), "tic-upload-test-"));
const world = { db: undefined as unknown as Db, cleanup: async () => undefined };
let active: SessionUser;
let suspended: SessionUser;
const ownerOf = (t: { ownerUserId: string }, email: string): SessionUser => ({ id: t.ownerUserId, email, name: null });

beforeAll(async () => {
  Object.assign(world, await useTestDatabase(apiTestDatabaseKind()));
  active = ownerOf(await seedTenant(world.db), "active@example.test");
  const s = await seedTenant(world.db);
  await world.db.update(tenants).set({ status: "suspended" }).where(eq(tenants.id, s.id));
  suspended = ownerOf(s, "suspended@example.test");
});
afterAll(async () => {
  await world.cleanup();
  rmSync(storageDir, { recursive: true, force: true });
  rmSync(uploadTmp, { recursive: true, force: true });
});

const AVATAR = "ava_doesnotexist0000000";
const params = { params: Promise.resolve({ avatarId: AVATAR }) };
const routes = async () => ({
  speak: (await import("@/app/api/platform/avatars/[avatarId]/speak/route")).POST,
  rig: (await import("@/app/api/platform/avatars/[avatarId]/rig/route")).GET,
});
const platformSpeak = async (req: Request, _avatar: string, who: SessionLookup) => (await routes()).speak(req, params, who);
const platformRig = async (req: Request, _avatar: string, who: SessionLookup) => (await routes()).rig(req, params, who);
const base = "http://app.test";
const json = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request(`${base}/api/platform/avatars/${AVATAR}/speak`, { method: "POST", headers: { host: "app.test", "content-type": "application/json", ...headers }, body, duplex: "half" } as RequestInit);
const deps = () => ({ storage: new LocalStorage(storageDir), limits: DEFAULT_LIMITS, tmpDir: uploadTmp });
// The upload route's handler on test storage (app/api/platform/assets/route.ts uses the environment's).
const uploadRoute = dashboardRoute("platformUpload", (req, ctx) => platformUpload(req, ctx, deps(), base));
const upload = (form: FormData, user: SessionUser) =>
  uploadRoute(new Request(`${base}/api/platform/assets`, { method: "POST", headers: { host: "app.test", "x-tic-upload": "1" }, body: form }), { params: Promise.resolve({}) }, async () => user);
const aFile = () => {
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(8)]), "x.png");
  return form;
};

describe("dashboard route handlers", () => {
  it("refuse a suspended workspace with 403 tenant_suspended: Speak, rig and upload", async () => {
    const answers = [
      await platformSpeak(json(JSON.stringify({ text: "Hello." })), AVATAR, async () => suspended),
      await platformRig(new Request(`${base}/api/platform/avatars/${AVATAR}/rig`), AVATAR, async () => suspended),
      await upload(aFile(), suspended),
    ];
    for (const res of answers) {
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: "tenant_suspended", retryable: false });
    }
    // The same calls for an active workspace get past the edge (to a missing avatar, an empty file).
    expect((await platformSpeak(json(JSON.stringify({ text: "Hello." })), AVATAR, async () => active)).status).toBe(404);
    expect((await platformRig(new Request(`${base}/api/platform/avatars/${AVATAR}/rig`), AVATAR, async () => active)).status).toBe(404);
    expect((await upload(aFile(), active)).status).toBe(422);
  });

  it("refuse signed-out callers and cross-site writes, an unparsable Origin included", async () => {
    expect((await platformSpeak(json("{}"), AVATAR, async () => null)).status).toBe(401);
    for (const origin of ["https://evil.example", "null"]) {
      const res = await platformSpeak(json(JSON.stringify({ text: "Hi." }), { origin }), AVATAR, async () => active);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: "forbidden" });
    }
  });

  itRefusesHugeBodies("refuse a huge %s Speak body with 413, reading at most the limit", {
    url: `${base}/api/platform/avatars/${AVATAR}/speak`,
    headers: { host: "app.test", "content-type": "application/json" },
    maxBytes: 16 * 1024,
    send: (req) => platformSpeak(req, AVATAR, async () => active),
  });

  it("answer a dashboard upload with too many fields at once, leaving no temp file", async () => {
    const form = new FormData();
    for (let i = 0; i < 9; i++) form.append(`note${i}`, "x");
    form.append("file", new Blob([new Uint8Array(256 * 1024)]), "big.png");
    const res = await upload(form, active);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: "invalid_multipart" });
    expect(readdirSync(uploadTmp)).toEqual([]);
  });

  it("answer with the request's id, errors included, and log one line per request", async () => {
    const logs = captureLogs("info");
    onTestFinished(() => logs.stop());
    const refused = await platformSpeak(json(JSON.stringify({ text: "Hello." }), { "x-request-id": "req-dash-1" }), AVATAR, async () => suspended);
    const missing = await platformRig(new Request(`${base}/api/platform/avatars/${AVATAR}/rig`), AVATAR, async () => active);
    expect(refused.headers.get("x-request-id")).toBe("req-dash-1");
    expect(missing.headers.get("x-request-id")).toMatch(/^req_/);
    expect(missing.headers.get("cache-control")).toBe("no-store");
    const lines = logs.lines.filter((l) => l.msg === "dashboard request");
    expect(lines).toEqual([
      expect.objectContaining({ requestId: "req-dash-1", route: "platformSpeak", method: "POST", status: 403, userId: suspended.id }),
      expect.objectContaining({ requestId: missing.headers.get("x-request-id"), route: "platformRig", method: "GET", status: 404, userId: active.id }),
    ]);
  });
});
