// The two ways a browser gets an avatar's render assets without an API key in the page: the REST
// read a customer's server makes with its key (GET /api/v1/avatars/{id}/render-assets, the widget's
// audio mode) or a page makes with a publishable key, and the widget's read by a live session's
// client secret (GET /api/widget/session-avatar).
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { NextRouteHandler } from "@/server/http/api-route";
import { callRoute, mintPublishableKey } from "@/server/http/testing/test-api";
import { seedCaller, useTurnWorld } from "../realtime/testing/turn-fixture";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const world = useTurnWorld("session-avatar", 100_000_000);
let assets: NextRouteHandler;
let widget: { GET: (req: Request) => Promise<Response>; OPTIONS: () => Response };
let create: NextRouteHandler;
let end: NextRouteHandler;
let other: { key: string };

beforeAll(async () => {
  assets = (await import("@/app/api/v1/avatars/[avatarId]/render-assets/route")).GET;
  widget = await import("@/app/api/widget/session-avatar/route");
  create = (await import("@/app/api/v1/realtime/sessions/route")).POST;
  end = (await import("@/app/api/v1/realtime/sessions/[sessionId]/end/route")).POST;
  other = await seedCaller(world.db, 0);
});

const readAssets = (avatarId: string, key: string) => callRoute(assets, { path: `/api/v1/avatars/${avatarId}/render-assets`, key, params: { avatarId } });
const readBySecret = (secret: string) => widget.GET(new Request("http://localhost/api/widget/session-avatar", { headers: { authorization: `Bearer ${secret}` } }));
async function session(): Promise<{ id: string; secret: string }> {
  const res = await callRoute(create, { method: "POST", path: "/api/v1/realtime/sessions", key: world.caller.key, body: { outputModality: "audio", avatar_id: world.avatarId, input: "text" } });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { session_id: string; client_secret: { value: string } };
  return { id: body.session_id, secret: body.client_secret.value };
}

describe("an avatar's render assets", () => {
  it("are read with the workspace's key: the rig and the portrait's /files/ URL; another workspace's key gets 404", async () => {
    const res = await readAssets(world.avatarId, world.caller.key);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { avatar_id: string; rig: { kind: string }; portrait_url: string; version: number };
    expect(body).toMatchObject({ avatar_id: world.avatarId, rig: { kind: expect.any(String) }, portrait_url: expect.stringMatching(/^\/files\/[A-Za-z0-9_-]{43}$/) });
    const foreign = await readAssets(world.avatarId, other.key);
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { code: string }).code).toBe("not_found");
  });

  it("are read by a live session's client secret, for that session's avatar only, and not once it has ended", async () => {
    const s = await session();
    const res = await readBySecret(s.secret);
    expect(res.status).toBe(200);
    // Any origin may read it: the secret is the capability, no cookie is involved.
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const body = (await res.json()) as { session_id: string; avatar_id: string; rig: unknown };
    expect(body).toMatchObject({ session_id: s.id, avatar_id: world.avatarId });
    expect(body.rig).toEqual(((await (await readAssets(world.avatarId, world.caller.key)).json()) as { rig: unknown }).rig);
    // Reading does not spend the secret: a second read (as the socket's connect would) still works.
    expect((await readBySecret(s.secret)).status).toBe(200);

    expect((await callRoute(end, { method: "POST", path: `/api/v1/realtime/sessions/${s.id}/end`, key: world.caller.key, params: { sessionId: s.id } })).status).toBe(200);
    const ended = await readBySecret(s.secret);
    expect(ended.status).toBe(401);
    expect(await ended.json()).toMatchObject({ code: "unauthorized", retryable: false });
  });

  it("refuse what is not a client secret of a live session with a coded 401, an API key included", async () => {
    for (const secret of ["", "garbage", `tcs_${"A".repeat(43)}`, world.caller.key]) {
      const res = await readBySecret(secret);
      expect(res.status, secret).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe("unauthorized");
    }
    expect(widget.OPTIONS().status).toBe(204);
  });

  it("are read by a page with a publishable key, from its origins, for its avatars only (coded 403s otherwise)", async () => {
    const site = "https://shop.example.com";
    const pub = await mintPublishableKey(world.db, world.caller.tenantId, { avatarIds: [world.avatarId], allowedOrigins: [site] });
    const read = (avatarId: string, origin: string | null) => callRoute(assets, { path: `/api/v1/avatars/${avatarId}/render-assets`, key: pub.apiKey, params: { avatarId }, headers: origin ? { origin } : {} });
    const ok = await read(world.avatarId, site);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe(site);
    expect(await ok.json()).toEqual((await (await readAssets(world.avatarId, world.caller.key)).json()) as unknown);

    // Another avatar (even one that does not exist: nothing is looked up) is refused, readable by the page so it can say why.
    const other = await read("ava_notnamedbythekey00", site);
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ code: "avatar_not_allowed", retryable: false, status: 403 });
    expect(other.headers.get("access-control-allow-origin")).toBe(site);

    for (const origin of ["https://evil.example", "https://shop.example.com.evil.example", null]) {
      const refused = await read(world.avatarId, origin);
      expect(refused.status, String(origin)).toBe(403);
      const body = await refused.text();
      expect(JSON.parse(body)).toMatchObject({ code: "origin_not_allowed" });
      expect(body).not.toContain("portrait");
    }
    // A secret key's answer is never readable by a page.
    const secret = await callRoute(assets, { path: `/api/v1/avatars/${world.avatarId}/render-assets`, key: world.caller.key, params: { avatarId: world.avatarId }, headers: { origin: site } });
    expect(secret.status).toBe(200);
    expect(secret.headers.get("access-control-allow-origin")).toBeNull();
  });
});
