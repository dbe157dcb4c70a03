// Text-to-video through the public routes, on PGlite and PostgreSQL: the JSON, streamed and delayed
// paths, presets, billing to the seconds rendered, list/get/delete, tenant isolation and bad input.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { usageEvents, videos } from "@/server/db/schema";
import type { NextRouteHandler } from "@/server/http/api-route";
import { callRoute } from "@/server/http/testing/test-api";
import { useTestWorld } from "@/server/testing/test-world";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { logger } from "@/server/logger";
import { encodeWav } from "@/server/media/wav";
import { assetDepsFromEnv } from "../assets";
import { checkPublicAddress } from "../net/ip-address";
import { getStorage } from "../storage";
import { createVideo, createVideoInput, finishVideo } from ".";
import { RENDER_STALE_MS } from "./videos";
import { reservationsOf, seedCaller, testWallet } from "../realtime/testing/turn-fixture";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

type Routes = { create: NextRouteHandler; list: NextRouteHandler; get: NextRouteHandler; del: NextRouteHandler; mp4: (req: Request, ctx: { params: Promise<{ videoId: string }> }) => Promise<Response> };
type Video = { id: string; status: string; credits_consumed: number; video_duration_seconds: number | null; file_size_bytes: number | null; mp4_url: string; html_url: string; avatar: string; language: string; emotion: string; text: string };

async function loadRoutes(): Promise<Routes> {
  const [videos, video, mp4] = await Promise.all([import("@/app/api/v1/videos/route"), import("@/app/api/v1/videos/[videoId]/route"), import("@/app/v/[videoId]/video.mp4/route")]);
  return { create: videos.POST, list: videos.GET, get: video.GET, del: video.DELETE, mp4: mp4.GET };
}

function probe(file: string): { codecs: string[]; frames: number; width: number } {
  const out = execFileSync("ffprobe", ["-v", "error", "-count_frames", "-show_entries", "stream=codec_name,nb_read_frames,width", "-of", "json", file]).toString();
  const streams = (JSON.parse(out) as { streams: { codec_name: string; nb_read_frames?: string; width?: number }[] }).streams;
  const v = streams.find((s) => s.width)!;
  return { codecs: streams.map((s) => s.codec_name).sort(), frames: Number(v.nb_read_frames), width: v.width! };
}

const bytesFile = (bytes: Uint8Array) => {
  const p = join(tmpdir(), `tic-video-${Math.random().toString(36).slice(2)}.mp4`);
  writeFileSync(p, bytes);
  return p;
};

describe.each(["pglite", "postgres"] as const)("videos on %s", (kind) => {
  const world = useTestWorld(`videos-${kind}`, kind);
  let routes: Routes;
  let caller: { tenantId: string; key: string };
  beforeAll(async () => {
    routes = await loadRoutes();
    caller = await seedCaller(world.db, 60_000_000);
  });
  const post = (body: unknown, key = caller.key, query = "") => callRoute(routes.create, { method: "POST", path: `/api/v1/videos${query}`, key, body });
  const mp4Of = (id: string, headers: Record<string, string> = {}) => routes.mp4(new Request(`http://localhost/v/${id}/video.mp4`, { headers }), { params: Promise.resolve({ videoId: id }) });

  it("renders a preset speaking text, stores the MP4 and bills the seconds rendered", async () => {
    const before = await testWallet(world.db, caller.tenantId);
    const res = await post({ text: "Hello, this is a test.", avatar: "astronaut", emotion: "happy", language: "en" });
    expect(res.status, await res.clone().text()).toBe(201);
    const v = (await res.json()) as Video;
    expect(v).toMatchObject({ id: expect.stringMatching(/^vid_[0-9a-z]{20}$/), status: "success", avatar: "astronaut", emotion: "happy", language: "en", text: "Hello, this is a test." });
    expect(v.html_url).toBe(`http://localhost/v/${v.id}`);
    expect(v.mp4_url).toBe(`http://localhost/v/${v.id}/video.mp4`);
    expect(v.video_duration_seconds).toBeGreaterThan(0.8);
    expect(v.credits_consumed).toBe(Math.round(v.video_duration_seconds! * 1_000_000));
    const after = await testWallet(world.db, caller.tenantId);
    expect(before.availableMicros - after.availableMicros).toBe(v.credits_consumed);
    const usage = await world.db.select().from(usageEvents).where(eq(usageEvents.tenantId, caller.tenantId));
    expect(usage.at(-1)).toMatchObject({ kind: "video", creditMicros: v.credits_consumed });

    const file = await mp4Of(v.id);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("video/mp4");
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(bytes.length).toBe(v.file_size_bytes);
    const p = probe(bytesFile(bytes));
    expect(p.codecs).toEqual(["aac", "h264"]);
    expect(p.frames).toBe(Math.round(v.video_duration_seconds! * 25));
    const range = await mp4Of(v.id, { range: "bytes=0-99" });
    expect(range.status).toBe(206);
    expect((await range.arrayBuffer()).byteLength).toBe(100);
  });

  it("streams the fragmented MP4 while it renders, and stores the same bytes", async () => {
    const res = await post({ text: "Streaming as it renders.", avatar: "astronaut" }, caller.key, "?stream=true");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("video/mp4");
    const id = res.headers.get("x-video-id")!;
    const reader = res.body!.getReader();
    const first = await reader.read();
    // The first bytes are the fragmented file's header: ftyp then an empty moov.
    expect(new TextDecoder().decode(first.value!.slice(4, 8))).toBe("ftyp");
    const chunks = [first.value!];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    const streamed = Buffer.concat(chunks);
    expect(streamed.includes(Buffer.from("moof"))).toBe(true);
    const got = (await (await callRoute(routes.get, { path: `/api/v1/videos/${id}`, key: caller.key, params: { videoId: id } })).json()) as Video;
    expect(got.status).toBe("success");
    const stored = Buffer.from(await (await mp4Of(id)).arrayBuffer());
    expect(stored.equals(streamed)).toBe(true);
    expect(probe(bytesFile(streamed)).codecs).toEqual(["aac", "h264"]);
  });

  it("a delayed video costs nothing until its URL is requested; concurrent first requests render it once", async () => {
    const before = await testWallet(world.db, caller.tenantId);
    const held = (await reservationsOf(world.db, caller.tenantId)).length;
    const res = await post({ text: "Rendered later.", avatar: "astronaut", delayed: "true" });
    expect(res.status).toBe(202);
    const v = (await res.json()) as Video;
    expect(v).toMatchObject({ status: "delayed", credits_consumed: 0, file_size_bytes: null, video_duration_seconds: null });
    expect((await testWallet(world.db, caller.tenantId)).availableMicros).toBe(before.availableMicros);
    const [a, b] = await Promise.all([mp4Of(v.id), mp4Of(v.id)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const [ba, bb] = [Buffer.from(await a.arrayBuffer()), Buffer.from(await b.arrayBuffer())];
    expect(ba.equals(bb)).toBe(true);
    expect((await reservationsOf(world.db, caller.tenantId)).length).toBe(held + 1);
    const got = (await (await callRoute(routes.get, { path: `/api/v1/videos/${v.id}`, key: caller.key, params: { videoId: v.id } })).json()) as Video;
    expect(got.status).toBe("success");
    expect(before.availableMicros - (await testWallet(world.db, caller.tenantId)).availableMicros).toBe(got.credits_consumed);
  });

  it("an Idempotency-Key replays a JSON create (rendered and billed once); a streamed one is spent, and its reuse names the video", async () => {
    const held = (await reservationsOf(world.db, caller.tenantId)).length;
    const body = { text: "Once only.", avatar: "astronaut" };
    const headers = { "idempotency-key": `vid-json-${kind}` };
    const a = await callRoute(routes.create, { method: "POST", path: "/api/v1/videos", key: caller.key, body, headers });
    const b = await callRoute(routes.create, { method: "POST", path: "/api/v1/videos", key: caller.key, body, headers });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    expect(((await b.json()) as Video).id).toBe(((await a.json()) as Video).id);
    expect((await reservationsOf(world.db, caller.tenantId)).length).toBe(held + 1);

    const streamHeaders = { "idempotency-key": `vid-stream-${kind}` };
    const s1 = await callRoute(routes.create, { method: "POST", path: "/api/v1/videos?stream=true", key: caller.key, body, headers: streamHeaders });
    expect(s1.status).toBe(200);
    const id = s1.headers.get("x-video-id")!;
    await s1.arrayBuffer();
    const s2 = await callRoute(routes.create, { method: "POST", path: "/api/v1/videos?stream=true", key: caller.key, body, headers: streamHeaders });
    expect(s2.status).toBe(409);
    const refused = (await s2.json()) as { code: string; error: string };
    expect(refused.code).toBe("idempotency_key_reused");
    expect(refused.error).toContain(`/api/v1/videos/${id}`);
  });

  it("a delayed video whose render is refused (402) stays delayed, says why, and bills nothing", async () => {
    const poor = await seedCaller(world.db, 0, { spendLimitCreditMicros: 1000 });
    const res = await post({ text: "Made later, if it can be paid for.", avatar: "astronaut", delayed: true }, poor.key);
    expect(res.status).toBe(202);
    const v = (await res.json()) as Video;
    const refused = await mp4Of(v.id);
    expect(refused.status).toBe(402);
    expect(((await refused.json()) as { code: string }).code).toBe("spend_limit_exceeded");
    const got = (await (await callRoute(routes.get, { path: `/api/v1/videos/${v.id}`, key: poor.key, params: { videoId: v.id } })).json()) as Video & { failure: { code: string } };
    expect(got).toMatchObject({ status: "delayed", credits_consumed: 0, failure: { code: "spend_limit_exceeded" } });
  });

  it("renders your own speech from an audio URL (fetched with the SSRF defences, here allowing one local origin)", async () => {
    const speech = encodeWav(new Float32Array(16_000 * 2).map((_, i) => Math.sin(i / 6) * 0.4 * (Math.floor(i / 2000) % 2)), 16_000);
    const origin = createServer((_req, res) => res.writeHead(200, { "content-length": speech.length }).end(speech));
    await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
    const port = (origin.address() as AddressInfo).port;
    try {
      const deps = { ...assetDepsFromEnv(), policy: (address: string, p: number) => (address === "127.0.0.1" && p === port ? { ok: true as const } : checkPublicAddress(address)) };
      const owner = { tenantId: caller.tenantId, environment: "test" as const, apiKeyId: null, log: logger };
      const row = await createVideo(world.db, owner, createVideoInput.parse({ audioUrl: `http://127.0.0.1:${port}/speech.wav`, avatar: "astronaut" }));
      const done = await finishVideo(world.db, owner, row, deps);
      expect(done).toMatchObject({ status: "ready", text: null, audioUrl: `http://127.0.0.1:${port}/speech.wav`, durationMs: 2000, creditMicros: 2_000_000 });
    } finally {
      await new Promise((r) => origin.close(r));
    }
  });

  it("a render that died with its process (rendering past RENDER_STALE_MS) is taken over by the next request to its URL", async () => {
    const res = await post({ text: "Picked up again.", avatar: "astronaut", delayed: true });
    const v = (await res.json()) as Video;
    await world.db.update(videos).set({ status: "rendering", renderStartedAt: new Date(Date.now() - RENDER_STALE_MS - 1000) }).where(eq(videos.id, v.id));
    expect((await mp4Of(v.id)).status).toBe(200);
    const got = (await (await callRoute(routes.get, { path: `/api/v1/videos/${v.id}`, key: caller.key, params: { videoId: v.id } })).json()) as Video;
    expect(got.status).toBe("success");
  });

  it("refuses an unknown preset with the list of available ones", async () => {
    const res = await post({ text: "Hi.", avatar: "african_man" });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { code: string; error: string };
    expect(body.code).toBe("unknown_avatar");
    expect(body.error).toContain("astronaut");
  });

  it.each([
    ["no text and no audioUrl", { avatar: "astronaut" }],
    ["both text and audioUrl", { avatar: "astronaut", text: "Hi.", audioUrl: "https://example.com/a.wav" }],
    ["too long a text", { avatar: "astronaut", text: "word ".repeat(400) }],
    ["a language outside the 17", { avatar: "astronaut", text: "Hi.", language: "xx" }],
    ["neither avatar nor avatar_id", { text: "Hi." }],
  ])("refuses %s with a coded 422", async (_name, body) => {
    const res = await post(body);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { code: string }).code).toBe("invalid_input");
  });

  it("refuses an audio URL on a private address (SSRF) before reserving anything", async () => {
    const held = (await reservationsOf(world.db, caller.tenantId)).length;
    const res = await post({ audioUrl: "http://127.0.0.1:9/speech.wav", avatar: "astronaut" });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { code: string }).code).toBe("remote_url_not_allowed");
    expect((await reservationsOf(world.db, caller.tenantId)).length).toBe(held);
  });

  it("answers 402 when the key may not spend the video's length, and keeps nothing", async () => {
    const poor = await seedCaller(world.db, 0, { spendLimitCreditMicros: 1000 });
    const res = await post({ text: "Too expensive for this key.", avatar: "astronaut" }, poor.key);
    expect(res.status).toBe(402);
    expect(((await res.json()) as { code: string }).code).toBe("spend_limit_exceeded");
    const list = (await (await callRoute(routes.list, { path: "/api/v1/videos", key: poor.key })).json()) as { data: Video[] };
    expect(list.data).toEqual([]);
  });

  it("lists, gets and deletes a workspace's videos; another workspace sees none of them", async () => {
    const page1 = (await (await callRoute(routes.list, { path: "/api/v1/videos?limit=2", key: caller.key })).json()) as { data: Video[]; next_cursor: string | null };
    expect(page1.data).toHaveLength(2);
    expect(page1.next_cursor).toBeTruthy();
    const page2 = (await (await callRoute(routes.list, { path: `/api/v1/videos?limit=2&cursor=${page1.next_cursor}`, key: caller.key })).json()) as { data: Video[] };
    expect(page2.data.length).toBeGreaterThan(0);
    expect(page2.data.some((v) => page1.data.some((w) => w.id === v.id))).toBe(false);
    const id = page1.data[0]!.id;

    const other = await seedCaller(world.db, 0);
    expect((await callRoute(routes.get, { path: `/api/v1/videos/${id}`, key: other.key, params: { videoId: id } })).status).toBe(404);
    expect((await callRoute(routes.del, { method: "DELETE", path: `/api/v1/videos/${id}`, key: other.key, params: { videoId: id } })).status).toBe(404);
    expect(((await (await callRoute(routes.list, { path: "/api/v1/videos", key: other.key })).json()) as { data: Video[] }).data).toEqual([]);

    const storageKey = `videos/${caller.tenantId}/${id}.mp4`;
    expect(await getStorage().get(storageKey)).not.toBeNull();
    expect((await callRoute(routes.del, { method: "DELETE", path: `/api/v1/videos/${id}`, key: caller.key, params: { videoId: id } })).status).toBe(204);
    expect(await getStorage().get(storageKey)).toBeNull();
    expect((await callRoute(routes.get, { path: `/api/v1/videos/${id}`, key: caller.key, params: { videoId: id } })).status).toBe(404);
    expect((await mp4Of(id)).status).toBe(404);
  });

  it("gives the MP4 URL of an unknown or malformed id a 404", async () => {
    expect((await mp4Of("vid_00000000000000000000")).status).toBe(404);
    expect((await mp4Of("../../etc/passwd")).status).toBe(404);
  });
});
