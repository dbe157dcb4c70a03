import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it, vi } from "vitest";
import { preparePortraitInChild } from "@/server/portrait/prepare-in-child";
import { itRefusesHugeBodies } from "@/server/http/testing/body-limit-cases";
import { DEMO_MAX_IMAGE_BYTES, DEMO_PREPARE_LIMIT } from "./demo-prepare";
import { POST } from "./route";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
  process.env.AUTH_SECRET ??= "test-secret-at-least-16-chars";
});

const portrait = readFileSync(new URL("../../../../public/demo/astronaut.png", import.meta.url));

function post(body: BodyInit | null, ip: string): Promise<Response> {
  return POST(new Request("http://localhost/api/demo/prepare", { method: "POST", body, headers: { "x-forwarded-for": ip }, duplex: "half" } as RequestInit));
}

describe("POST /api/demo/prepare (public, no auth)", () => {
  it("turns the fixture portrait into a rig, then answers from the cache", async () => {
    const first = await post(portrait, "198.51.100.1");
    expect(first.status).toBe(200);
    const body = (await first.json()) as { rig: { kind: string; crop: { size: number } }; timings: Record<string, number>; cached: boolean };
    expect(body.rig.kind).toBe("tic-avatar-rig");
    expect(body.cached).toBe(false);
    expect(body.timings.totalMs).toBeGreaterThan(0);
    const t0 = performance.now();
    const again = (await (await post(portrait, "198.51.100.1")).json()) as { cached: boolean };
    expect(again.cached).toBe(true);
    expect(performance.now() - t0).toBeLessThan(200);
  });

  it("answers 422 with the prepare step's code for a photo without a face", async () => {
    const blank = await sharp({ create: { width: 256, height: 256, channels: 3, background: "#8899aa" } }).png().toBuffer();
    const res = await post(blank, "198.51.100.4");
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: "face_not_found", retryable: false, error: expect.stringContaining("No face") });
  });

  it("answers 422 with a code for a file that is not an image", async () => {
    const res = await post(new TextEncoder().encode("not an image at all"), "198.51.100.2");
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: "unsupported_image", retryable: false });
  });

  itRefusesHugeBodies("refuses a %s image over the limit with 413, reading at most the limit", {
    url: "http://localhost/api/demo/prepare",
    headers: { "content-type": "image/png" },
    maxBytes: DEMO_MAX_IMAGE_BYTES,
    send: POST,
    answer: { code: "payload_too_large", error: expect.stringContaining("10 MiB") },
  });

  it("rate limits new prepares per address, never cache hits", async () => {
    const now = Date.now();
    for (let i = 0; i < 6; i++) DEMO_PREPARE_LIMIT.charge("198.51.100.3", now);
    expect(() => DEMO_PREPARE_LIMIT.charge("198.51.100.3", now)).toThrow(expect.objectContaining({ status: 429, code: "rate_limited" }));
    expect(() => DEMO_PREPARE_LIMIT.charge("198.51.100.9", now)).not.toThrow();
    // The fixture is cached by the first test: an exhausted address still gets it.
    const res = await post(portrait, "198.51.100.3");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ cached: true });
  });

  it("never queues anonymous prepares in front of a workspace's prepare", async () => {
    // A portrait nobody prepared yet: each demo request needs a build of its own.
    const fresh = await sharp(portrait).modulate({ brightness: 1.03 }).png().toBuffer();
    let demoBuilds = 0;
    const demos = Array.from({ length: 10 }, (_, i) =>
      post(fresh, `192.0.2.${i + 1}`).then((res) => {
        if (res.status === 200) demoBuilds++;
        return res.status;
      }),
    );
    // Let the anonymous requests reach the build queue before the workspace asks.
    await new Promise((r) => setTimeout(r, 500));
    const demoBuildsBeforeTenant = await preparePortraitInChild(fresh).then(() => demoBuilds);
    expect(demoBuildsBeforeTenant).toBeLessThanOrEqual(1);
    const statuses = await Promise.all(demos);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 503)).toHaveLength(9);
  });
});
