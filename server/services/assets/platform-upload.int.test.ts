// The dashboard upload route's own guards: CSRF header, same origin, session, suspended workspace.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "../../auth/session";
import { tenants } from "../../db/schema";
import { dashboardRoute } from "../../http/dashboard-route";
import { seedTenant } from "../../http/testing/test-api";
import { useTestWorld } from "../../testing/test-world";
import { LocalStorage } from "../storage/local-storage";
import { DEFAULT_LIMITS } from "./config";
import { platformUpload } from "./platform-upload";
import { images } from "./testing/media-fixtures";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const world = useTestWorld("platform-upload");
let tenantId: string;
let owner: SessionUser;
let suspendedOwner: SessionUser;
let png: Buffer;

beforeAll(async () => {
  const tenant = await seedTenant(world.db);
  tenantId = tenant.id;
  owner = { id: tenant.ownerUserId, email: "owner@example.test", name: null };
  const suspended = await seedTenant(world.db);
  await world.db.update(tenants).set({ status: "suspended" }).where(eq(tenants.id, suspended.id));
  suspendedOwner = { id: suspended.ownerUserId, email: "suspended@example.test", name: null };
  png = (await images()).png;
});

function send(headers: Record<string, string>, user: SessionUser | null) {
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(png)]), "me.png");
  const req = new Request("http://app.test/api/platform/assets", { method: "POST", headers: { host: "app.test", ...headers }, body: form });
  // The upload route's handler (app/api/platform/assets/route.ts) on test storage.
  const route = dashboardRoute("platformUpload", (r, ctx) => platformUpload(r, ctx, { storage: new LocalStorage(world.storageDir), limits: DEFAULT_LIMITS }, "http://app.test"));
  return route(req, { params: Promise.resolve({}) }, async () => user);
}

describe("dashboard upload", () => {
  const member = () => owner;

  it("stores the file for the session's active workspace", async () => {
    const res = await send({ "x-tic-upload": "1", origin: "http://app.test" }, member());
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ tenantId, kind: "image", contentType: "image/png", publicUrl: expect.stringMatching(/^http:\/\/app\.test\/files\//) });
  });

  it("refuses cross-site and header-less posts, anonymous users and suspended workspaces", async () => {
    expect((await send({}, member())).status).toBe(403);
    expect((await send({ "x-tic-upload": "1", origin: "https://evil.example" }, member())).status).toBe(403);
    expect((await send({ "x-tic-upload": "1" }, null)).status).toBe(401);
    const suspended = await send({ "x-tic-upload": "1" }, suspendedOwner);
    expect(suspended.status).toBe(403);
    expect(await suspended.json()).toMatchObject({ code: "tenant_suspended" });
  });
});
