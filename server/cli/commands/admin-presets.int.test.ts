import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import sharp from "sharp";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { callRoute } from "../../http/testing/test-api";
import { seedCaller } from "../../services/realtime/testing/turn-fixture";
import { useTestWorld } from "../../testing/test-world";
import { addPresetCmd, listPresetsCmd } from "./admin-presets";

// `tic-avatar admin add-preset`: an operator's portrait becomes a preset every workspace can render
// by name; an image without a usable face is refused with its code.

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

async function captured(run: () => Promise<number>) {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, "write").mockImplementation((c) => (out.push(String(c)), true));
  const e = vi.spyOn(process.stderr, "write").mockImplementation((c) => (err.push(String(c)), true));
  try {
    return { code: await run(), out: out.join(""), err: err.join("") };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const world = useTestWorld("admin-presets", "pglite");
let key: string;
beforeAll(async () => {
  key = (await seedCaller(world.db, 10_000_000)).key;
});

describe("tic-avatar admin add-preset", () => {
  it("adds a preset from an image file; every workspace renders it by name and the 422 lists it", async () => {
    const added = await captured(() => addPresetCmd(world.db, ["--name", "eileen", "--image", join(process.cwd(), "public/demo/astronaut.png"), "--display-name", "Eileen"]));
    expect(added.code, added.err).toBe(0);
    expect(JSON.parse(added.out)).toEqual({ name: "eileen", displayName: "Eileen", builtIn: false });
    const listed = await captured(() => listPresetsCmd(world.db));
    expect(listed.out.trim().split("\n").map((l) => (JSON.parse(l) as { name: string }).name)).toEqual(["astronaut", "eileen"]);

    const { POST } = await import("@/app/api/v1/videos/route");
    const made = await callRoute(POST, { method: "POST", path: "/api/v1/videos", key, body: { text: "Hi.", avatar: "eileen" } });
    expect(made.status, await made.clone().text()).toBe(201);
    const unknown = await callRoute(POST, { method: "POST", path: "/api/v1/videos", key, body: { text: "Hi.", avatar: "nobody" } });
    expect(((await unknown.json()) as { error: string }).error).toContain("astronaut, eileen");
  });

  it("refuses an image without a face, a built-in name and a bad name", async () => {
    const blank = join(tmpdir(), `tic-blank-${process.pid}.png`);
    writeFileSync(blank, await sharp({ create: { width: 256, height: 256, channels: 3, background: { r: 120, g: 140, b: 160 } } }).png().toBuffer());
    const noFace = await captured(() => addPresetCmd(world.db, ["--name", "blank", "--image", blank]));
    expect(noFace.code).toBe(1);
    expect(noFace.err).toMatch(/\[\w+\]/);
    const builtIn = await captured(() => addPresetCmd(world.db, ["--name", "astronaut", "--image", join(process.cwd(), "public/demo/astronaut.png")]));
    expect(builtIn.code).toBe(1);
    expect(builtIn.err).toContain("built-in");
    const badName = await captured(() => addPresetCmd(world.db, ["--name", "Bad Name", "--image", join(process.cwd(), "public/demo/astronaut.png")]));
    expect(badName.code).toBe(1);
  });
});
