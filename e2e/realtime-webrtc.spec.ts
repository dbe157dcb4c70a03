import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { fakeMicrophoneLaunch, questionsWav } from "./fake-microphone";

// A live session over WebRTC in Debian's Chromium, against the production server (`tic-avatar
// serve`, PostgreSQL): a customer's page (served by this test on its own origin, with the SDK
// bundled from source) whose "server" (this test's route handler, holding the API key) creates the
// session with the browser's SDP offer. Chromium's fake microphone asks a question; the avatar's
// voice arrives as a remote audio track, motion on the data channel reaches the AvatarPlayer, a
// second question while it speaks cuts it (barge-in: response.interrupted, and the track goes
// silent). With render: "server" the avatar plays as a video track in a <video>.

const BASE = process.env.E2E_PG_BASE_URL!;
const ORIGIN = "http://localhost:9"; // localhost: a secure context (getUserMedia); nothing listens, the test serves it
const LONG = "The station opens at nine in the morning. Trains leave every ten minutes from platform one, the ticket office is beside the main entrance, and the cafe on the upper floor serves breakfast until eleven.";
const WAV = join("test-results", "fake-mic", "webrtc-questions.wav");
questionsWav(WAV, ["When does the station open?", "Stop. Where is the ticket office?"], { leadS: 1, gapS: 5, tailS: 60 });

test.use({ launchOptions: fakeMicrophoneLaunch(WAV), permissions: ["microphone"] });

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

function cli(args: string[]): Record<string, string> {
  const out = execFileSync(process.execPath, ["bin/tic-avatar.mjs", "admin", ...args], { env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL }, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!);
}

const PAGE = `<!doctype html><html><body>
<audio id="voice"></audio><video id="video" playsinline></video>
<script type="module">
import { AvatarPlayer, RealtimeSession } from "/sdk.js";
window.run = async (opts) => {
  const ctx = new AudioContext();
  await ctx.resume();
  const log = (window.log = { events: [], levels: [], draws: 0 });
  const sink = { tier: "webgpu", drawMotion: (m) => { if (m.jawOpen > 0.05) log.draws++; }, drawVideo: () => {} };
  const player = new AvatarPlayer({ sink, audioContext: ctx });
  const start = async (transport) => (await fetch("/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ transport, ...opts.body }) })).json();
  const session = (window.session = new RealtimeSession({ start, transport: "webrtc", player, audioContext: ctx, audioElement: document.getElementById("voice"), videoElement: opts.video ? document.getElementById("video") : undefined }));
  session.on("event", (e) => log.events.push({ t: performance.now(), type: e.type, status: e.status, reason: e.reason, transcript: e.transcript, response: e.response && { status: e.response.status } }));
  await session.connect();
  log.transport = session.transport;
  log.remoteTracks = session.remoteStream.getTracks().map((t) => t.kind);
  // The level of the avatar's voice as it arrives on the remote track, every 20 ms.
  const analyser = ctx.createAnalyser();
  ctx.createMediaStreamSource(session.remoteStream).connect(analyser);
  const buf = new Float32Array(analyser.fftSize);
  setInterval(() => {
    analyser.getFloatTimeDomainData(buf);
    let sum = 0;
    for (const x of buf) sum += x * x;
    log.levels.push({ t: performance.now(), rms: Math.sqrt(sum / buf.length) });
  }, 20);
  if (opts.mic) await session.startMicrophone();
  return log.transport;
};
</script></body></html>`;

type Log = { events: { t: number; type: string; status?: string; reason?: string; transcript?: string; response?: { status: string } }[]; levels: { t: number; rms: number }[]; draws: number; transport: string; remoteTracks: string[] };
const LOUD = 0.02;

async function workspace(request: APIRequestContext) {
  const tenant = cli(["create-tenant", "--name", "WebRTC", "--owner", `rtc-${unique()}@example.com`]);
  const key = cli(["create-key", "--tenant", tenant.id!, "--scopes", "*", "--env", "test"]).apiKey!;
  const auth = { authorization: `Bearer ${key}` };
  const asset = await request.post(`${BASE}/api/v1/assets`, { headers: auth, multipart: { file: { name: "astronaut.png", mimeType: "image/png", buffer: readFileSync("public/demo/astronaut.png") } } });
  expect(asset.status(), await asset.text()).toBe(201);
  const settings = { knowledge: [{ question: "When does the station open?", answer: LONG }] };
  const avatar = await request.post(`${BASE}/api/v1/avatars`, { headers: auth, data: { displayName: "Ada", sourceKind: "image", sourceAssetId: (await asset.json()).id, settings } });
  expect(avatar.status(), await avatar.text()).toBe(201);
  const avatarId = (await avatar.json()).id as string;
  await expect(async () => expect((await (await request.get(`${BASE}/api/v1/avatars/${avatarId}`, { headers: auth })).json()).status).toBe("ready")).toPass({ timeout: 120_000, intervals: [1_000] });
  return { auth, avatarId };
}

/** The customer's page, and its server route that creates the session with the API key (never in the page). */
async function customerPage(page: Page, request: APIRequestContext, ws: { auth: Record<string, string>; avatarId: string }) {
  const sdk = await build({ entryPoints: ["packages/sdk/src/index.ts"], bundle: true, format: "esm", write: false, platform: "browser", target: "es2022" });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === "/") return route.fulfill({ body: PAGE, contentType: "text/html" });
    if (path === "/sdk.js") return route.fulfill({ body: Buffer.from(sdk.outputFiles[0]!.contents), contentType: "text/javascript" });
    if (path === "/session") {
      const body = route.request().postDataJSON() as Record<string, unknown>;
      const res = await request.post(`${BASE}/api/v1/realtime/sessions`, { headers: ws.auth, data: { outputModality: "audio", avatar_id: ws.avatarId, ...body } });
      return route.fulfill({ status: res.status(), body: await res.text(), contentType: "application/json" });
    }
    return route.fulfill({ status: 404 });
  });
  page.on("console", (m) => m.type() === "error" && console.log(`[page] ${m.text()}`));
  await page.goto(`${ORIGIN}/`);
}

const readLog = (page: Page) => page.evaluate(() => (window as unknown as { log: Log }).log);

test.describe("a live session over WebRTC in Chromium", () => {
  test("the voice arrives as a remote track, a spoken question is answered, barge-in silences it", async ({ page, request }) => {
    test.setTimeout(240_000);
    const ws = await workspace(request);
    await customerPage(page, request, ws);
    const transport = await page.evaluate((o) => (window as unknown as { run: (o: unknown) => Promise<string> }).run(o), { mic: true, body: { turn_detection: { type: "server_vad", silence_duration_ms: 500 } } });
    expect(transport).toBe("webrtc");
    expect((await readLog(page)).remoteTracks).toEqual(["audio"]);

    // The first question is heard and answered: the voice is loud on the remote track while speaking, and the mouth moves.
    await expect.poll(async () => (await readLog(page)).events.some((e) => e.type === "conversation.item.input_audio_transcription.completed"), { timeout: 60_000 }).toBe(true);
    await expect.poll(async () => (await readLog(page)).events.some((e) => e.type === "status" && e.status === "speaking"), { timeout: 60_000 }).toBe(true);
    await expect.poll(async () => Math.max(0, ...(await readLog(page)).levels.slice(-50).map((l) => l.rms)), { timeout: 20_000 }).toBeGreaterThan(LOUD);
    await expect.poll(async () => (await readLog(page)).draws, { timeout: 10_000 }).toBeGreaterThan(0);

    // The second question cuts the answer: response.interrupted, then the track goes quiet and stays quiet until the next answer.
    await expect.poll(async () => (await readLog(page)).events.find((e) => e.type === "response.interrupted")?.reason, { timeout: 60_000 }).toBe("barge_in");
    await expect.poll(async () => Math.max(0, ...(await readLog(page)).levels.slice(-5).map((l) => l.rms)), { timeout: 10_000 }).toBeLessThan(LOUD / 4);
    const log = await readLog(page);
    const cut = log.events.find((e) => e.type === "response.interrupted")!;
    const quietFrom = log.levels.find((l) => l.t > cut.t && l.rms < LOUD / 4)!.t;
    const nextAnswer = log.events.find((e) => e.type === "response.created" && e.t > cut.t)?.t ?? Infinity;
    const loudAfter = log.levels.filter((l) => l.t > quietFrom && l.t < nextAnswer && l.rms > LOUD);
    // What sounded after the cut: the jitter buffer's tail, not the server's queued lead (~0.4 s more of the answer).
    const tailMs = log.levels.filter((l) => l.t > cut.t && l.t < nextAnswer && l.rms > LOUD).length * 20;
    console.log(`heard: ${log.events.filter((e) => e.transcript).map((e) => JSON.stringify(e.transcript)).join(", ")}; voice after response.interrupted: ${tailMs} ms; loud blocks after it went quiet: ${loudAfter.length}`);
    expect(loudAfter).toEqual([]);
    expect(tailMs).toBeLessThan(500);
    const first = log.events.find((e) => e.type === "response.done");
    expect(first?.response?.status).toBe("interrupted");
    await page.evaluate(() => (window as unknown as { session: { close(): void } }).session.close());
  });

  test('render: "server" plays the avatar as a video track in a <video>', async ({ page, request }) => {
    test.setTimeout(240_000);
    const ws = await workspace(request);
    await customerPage(page, request, ws);
    await page.evaluate((o) => (window as unknown as { run: (o: unknown) => Promise<string> }).run(o), { video: true, body: { render: "server", input: "text" } });
    expect((await readLog(page)).remoteTracks.sort()).toEqual(["audio", "video"]);
    await page.evaluate(() => (window as unknown as { session: { sendText(t: string): void } }).session.sendText("When does the station open?"));
    await expect.poll(async () => (await readLog(page)).events.some((e) => e.type === "status" && e.status === "speaking"), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => page.evaluate(() => (document.getElementById("video") as HTMLVideoElement).videoWidth), { timeout: 30_000 }).toBeGreaterThan(0);
    const t1 = await page.evaluate(() => (document.getElementById("video") as HTMLVideoElement).currentTime);
    await expect.poll(() => page.evaluate(() => (document.getElementById("video") as HTMLVideoElement).currentTime), { timeout: 10_000 }).toBeGreaterThan(t1);
    await expect.poll(async () => Math.max(0, ...(await readLog(page)).levels.slice(-50).map((l) => l.rms)), { timeout: 20_000 }).toBeGreaterThan(LOUD);
    await page.evaluate(() => (window as unknown as { session: { close(): void } }).session.close());
  });
});
