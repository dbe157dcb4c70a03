import { createServer, type Server } from "node:http";
import { Readable } from "node:stream";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { concatBytes, MUX_CONTENT_TYPE, muxStream, MuxWriter } from "../../../core/mux";
import { plain, writeSampleTurn } from "../../../core/mux/sample-stream";
import { readAvatarMux, type AvatarMuxEvent } from "./index";

async function collect(it: AsyncIterable<AvatarMuxEvent>): Promise<AvatarMuxEvent[]> {
  const out: AvatarMuxEvent[] = [];
  for await (const ev of it) out.push(ev);
  return out;
}

/** Streams a turn the way the turn route will: one write per writer record, with pauses. */
function turnServer(): Server {
  return createServer(async (req, res) => {
    if (req.url === "/stream") {
      // The turn route's path: records pulled into a muxStream body as the socket drains.
      const w = new MuxWriter({ sampleRate: 24_000, fps: 25, width: 0, height: 0, videoCodec: "none", avatarId: "ava_http", manifestId: "man_1", manifestVersion: 2 });
      const at = (...parts: Uint8Array<ArrayBuffer>[]) => ({ bytes: concatBytes(parts), samples: w.position, sampleRate: 24_000 });
      async function* records() {
        yield at(w.start(), w.state("speaking", 0), w.text("Hi there.", 0));
        for (let c = 0; c < 5; c++) {
          const parts = [w.audio(new Int16Array(4_800).fill(100 * c))];
          for (let f = 5 * c; f < 5 * c + 5; f++) parts.push(w.motion(f, { jawOpen: f / 25, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 }));
          yield at(...parts, w.usage());
        }
        yield at(w.state("idle"), w.end());
      }
      res.writeHead(200, { "content-type": MUX_CONTENT_TYPE });
      Readable.fromWeb(muxStream(records(), { abort: new AbortController() }) as import("node:stream/web").ReadableStream<Uint8Array>).pipe(res);
      return;
    }
    if (req.url === "/error") {
      res.writeHead(402, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "Top up at /platform/billing", code: "insufficient_credits", retryable: false, status: 402, billingUrl: "/platform/billing" }));
      return;
    }
    res.writeHead(200, { "content-type": MUX_CONTENT_TYPE });
    const { parts } = writeSampleTurn({ seconds: 0.5, video: req.url === "/video" });
    // /cut: the body ends cleanly but early (a proxy timeout); /reset: the connection dies.
    const upTo = req.url === "/cut" || req.url === "/reset" ? parts.length - 5 : parts.length;
    for (const [i, p] of parts.slice(0, upTo).entries()) {
      res.write(p);
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    if (req.url === "/reset") res.destroy();
    else res.end();
  });
}

describe("readAvatarMux decodes what the server writes", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = turnServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("reads a streamed HTTP response (fetch Response and its body)", async () => {
    const fromResponse = await collect(readAvatarMux(await fetch(`${base}/turn`)));
    const fromBody = await collect(readAvatarMux((await fetch(`${base}/turn`)).body!));
    expect(plain(fromResponse)).toEqual(plain(fromBody));
    const kinds = new Set(fromResponse.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(["audio", "end", "header", "motion", "state", "text_delta", "usage"]);
    const audio = fromResponse.flatMap((e) => (e.kind === "audio" ? [e.samples.length] : []));
    expect(audio.reduce((a, b) => a + b, 0)).toBe(8_000);
    expect(fromResponse.filter((e) => e.kind === "motion")).toHaveLength(13);
  });

  it("decodes a muxStream body (the server's streaming body) over HTTP", async () => {
    const events = await collect(readAvatarMux(await fetch(`${base}/stream`)));
    expect(events[0]).toMatchObject({ kind: "header", sampleRate: 24_000, avatarId: "ava_http", manifestId: "man_1", manifestVersion: 2 });
    expect(events.filter((e) => e.kind === "motion")).toHaveLength(25);
    const usage = events.filter((e) => e.kind === "usage").at(-1);
    expect(usage).toEqual({ kind: "usage", pts: 24_000, renderedSamples: 24_000, renderedMicros: 1_000_000 });
    expect(events.at(-1)).toEqual({ kind: "end", reason: "complete", totalSamples: 24_000 });
  });

  it("reads video frames for the server tier", async () => {
    const events = await collect(readAvatarMux(await fetch(`${base}/video`)));
    expect(events.filter((e) => e.kind === "video")).toHaveLength(13);
  });

  it("turns an API error response into a TicApiError", async () => {
    await expect(collect(readAvatarMux(await fetch(`${base}/error`)))).rejects.toMatchObject({
      name: "TicApiError", status: 402, code: "insufficient_credits", billingUrl: "/platform/billing",
    });
  });

  it("never mistakes a cut stream for a complete turn", async () => {
    await expect(collect(readAvatarMux(await fetch(`${base}/cut`)))).rejects.toMatchObject({ name: "MuxError", code: "truncated" });
    // A reset surfaces as the runtime's transport error (undici: TypeError "terminated").
    await expect(collect(readAvatarMux(await fetch(`${base}/reset`)))).rejects.toThrow();
  });

  it("reads a Node stream (AsyncIterable of Buffers)", async () => {
    const w = new MuxWriter({ sampleRate: 24_000, fps: 25, width: 0, height: 0, videoCodec: "none", avatarId: "ava_node", manifestId: null, manifestVersion: 1 });
    const parts = [w.start(), w.audio(new Int16Array(960)), w.motion(0, { jawOpen: 0.4, lipWidth: 0.2, pucker: 0, lipsPressed: 0, upperLipRaise: 0 }), w.usage(), w.end()];
    const events = await collect(readAvatarMux(Readable.from(parts.map((p) => Buffer.from(p)))));
    expect(events.map((e) => e.kind)).toEqual(["header", "audio", "motion", "usage", "end"]);
    expect(events[3]).toEqual({ kind: "usage", pts: 960, renderedSamples: 960, renderedMicros: 40_000 });
  });
});
