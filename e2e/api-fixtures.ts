import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, type APIRequestContext } from "@playwright/test";

// The public API's setup for specs on the PostgreSQL server (see playwright.config.ts): a workspace
// and key from the admin CLI on its database, and a ready avatar made through the public API.

export const PG_BASE = process.env.E2E_PG_BASE_URL!;
export const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** `tic-avatar admin …` on the PostgreSQL server's database; its last JSON line. */
export function cli(args: string[]): Record<string, string> {
  const out = execFileSync(process.execPath, ["bin/tic-avatar.mjs", "admin", ...args], { env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL }, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!);
}

/** A new workspace's test key with every scope. */
export function workspaceKey(name: string): string {
  const tenant = cli(["create-tenant", "--name", name, "--owner", `${name.toLowerCase().replace(/\W+/g, "-")}-${unique()}@example.com`]);
  return cli(["create-key", "--tenant", tenant.id!, "--scopes", "*", "--env", "test"]).apiKey!;
}

/** The demo portrait uploaded and made an avatar, waited for until it is ready; its id. */
export async function readyAvatar(request: APIRequestContext, key: string): Promise<string> {
  const auth = { authorization: `Bearer ${key}` };
  const asset = await request.post(`${PG_BASE}/api/v1/assets`, { headers: auth, multipart: { file: { name: "astronaut.png", mimeType: "image/png", buffer: readFileSync("public/demo/astronaut.png") } } });
  expect(asset.status(), await asset.text()).toBe(201);
  const avatar = await request.post(`${PG_BASE}/api/v1/avatars`, { headers: auth, data: { displayName: "Astronaut", sourceKind: "image", sourceAssetId: (await asset.json()).id } });
  const avatarId = (await avatar.json()).id as string;
  await expect(async () => {
    const got = await request.get(`${PG_BASE}/api/v1/avatars/${avatarId}`, { headers: auth });
    expect((await got.json()).status).toBe("ready");
  }).toPass({ timeout: 90_000, intervals: [1_000] });
  return avatarId;
}
