import { expect, test, type Page } from "@playwright/test";
import { PG_BASE as BASE, readyAvatar, workspaceKey } from "./api-fixtures";

// Text-to-video in Chromium on the production server: a delayed video's viewer page (`html_url`)
// renders it on first view and plays it; the streamed fragmented MP4 (`?stream=true`) plays through
// MediaSource as it arrives; a live session with video_format "fmp4" plays its replies the same way.

let key: string;
test.beforeAll(() => {
  key = workspaceKey("Videos");
});

/** Plays the page's `<video>` muted and resolves once its clock has run past `seconds`. */
async function playsPast(page: Page, selector: string, seconds: number) {
  await page.locator(selector).evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    return v.play();
  });
  await expect.poll(() => page.locator(selector).evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000 }).toBeGreaterThan(seconds);
  expect(await page.locator(selector).evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
}

test("a delayed video renders on its first view, and its viewer page plays it and offers the MP4", async ({ page, request }) => {
  test.setTimeout(120_000);
  const created = await request.post(`${BASE}/api/v1/videos`, {
    headers: { authorization: `Bearer ${key}` },
    data: { text: "Hello! This video was made when you opened it.", avatar: "astronaut", delayed: true },
  });
  expect(created.status(), await created.text()).toBe(202);
  const video = await created.json();
  expect(video.status).toBe("delayed");
  await page.goto(video.html_url);
  await playsPast(page, "[data-testid=video]", 1);
  const download = page.getByTestId("download");
  await expect(download).toHaveAttribute("href", `/v/${video.id}/video.mp4`);
  const mp4 = await request.get(`${BASE}/v/${video.id}/video.mp4`, { headers: { range: "bytes=0-7" } });
  expect(mp4.status()).toBe(206);
  const got = await (await request.get(`${BASE}/api/v1/videos/${video.id}`, { headers: { authorization: `Bearer ${key}` } })).json();
  expect(got.status).toBe("success");
  expect(got.credits_consumed).toBeGreaterThan(0);
});

test("the streamed fragmented MP4 plays through MediaSource while it renders", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`${BASE}/api/health`); // any page of the origin, for a same-origin fetch
  const ok = await page.evaluate(async (apiKey) => {
    const type = 'video/mp4; codecs="avc1.42E01E, mp4a.40.2"';
    if (!MediaSource.isTypeSupported(type)) return `unsupported: ${type}`;
    const video = document.createElement("video");
    video.muted = true;
    video.setAttribute("data-testid", "mse");
    document.body.append(video);
    const source = new MediaSource();
    video.src = URL.createObjectURL(source);
    await new Promise((r) => source.addEventListener("sourceopen", r, { once: true }));
    const buffer = source.addSourceBuffer(type);
    const res = await fetch("/api/v1/videos?stream=true", {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ text: "Streaming straight into the media source, fragment by fragment, as the server renders it.", avatar: "astronaut" }),
    });
    if (res.status !== 200) return `status ${res.status}`;
    const reader = res.body!.getReader();
    let started = false;
    // Fed as the bytes arrive; playback starts after the first fragment, before the render ends.
    void (async () => {
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        buffer.appendBuffer(r.value);
        await new Promise((done) => buffer.addEventListener("updateend", done, { once: true }));
        if (!started && buffer.buffered.length > 0) {
          started = true;
          void video.play();
        }
      }
      source.endOfStream();
    })();
    return "ok";
  }, key);
  expect(ok).toBe("ok");
  await expect.poll(() => page.getByTestId("mse").evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 30_000 }).toBeGreaterThan(1);
  expect(await page.getByTestId("mse").evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
});

test("a live session with video_format fmp4 plays its replies through MediaSource", async ({ page, request }) => {
  test.setTimeout(180_000);
  const auth = { authorization: `Bearer ${key}` };
  const avatarId = await readyAvatar(request, key);
  const created = await request.post(`${BASE}/api/v1/realtime/sessions`, {
    headers: auth,
    data: { outputModality: "audio", avatar_id: avatarId, input: "text", render: "server", video_format: "fmp4" },
  });
  expect(created.status(), await created.text()).toBe(201);
  const session = await created.json();

  await page.goto(`${BASE}/api/health`); // a page to run the client in
  const started = await page.evaluate(
    async ({ url, secret }) => {
      const type = 'video/mp4; codecs="avc1.42E01E, mp4a.40.2"';
      const video = document.createElement("video");
      video.muted = true;
      video.setAttribute("data-testid", "session-video");
      document.body.append(video);
      const source = new MediaSource();
      video.src = URL.createObjectURL(source);
      await new Promise((r) => source.addEventListener("sourceopen", r, { once: true }));
      const buffer = source.addSourceBuffer(type);
      // Replies are separate MP4s: `sequence` lays them end to end on one timeline.
      buffer.mode = "sequence";
      const queue: ArrayBuffer[] = [];
      const pump = () => {
        if (buffer.updating || queue.length === 0) return;
        buffer.appendBuffer(queue.shift()!);
      };
      buffer.addEventListener("updateend", () => {
        if (buffer.buffered.length > 0 && video.paused) void video.play();
        pump();
      });
      const ws = new WebSocket(url, ["tic-realtime", secret]);
      ws.binaryType = "arraybuffer";
      return await new Promise<string>((resolve) => {
        ws.onmessage = (m) => {
          if (m.data instanceof ArrayBuffer) {
            queue.push(m.data);
            pump();
            return;
          }
          const e = JSON.parse(m.data as string) as { type: string; session?: { video_format?: string } };
          if (e.type === "session.created") {
            ws.send(JSON.stringify({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text: "Hello, who are you?" }] } }));
            resolve(e.session?.video_format ?? "none");
          }
        };
        ws.onclose = () => resolve("closed");
      });
    },
    { url: session.url as string, secret: session.client_secret.value as string },
  );
  expect(started).toBe("fmp4");
  await expect.poll(() => page.getByTestId("session-video").evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 30_000 }).toBeGreaterThan(0.5);
  expect(await page.getByTestId("session-video").evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe(256);
});
