import "server-only";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// A stand-in for an OpenAI-compatible server (a third party we cannot run here), on 127.0.0.1 at
// a free port. Each test scripts the answers; the server records what the client sent.

/** `body`: parsed JSON or the text; `raw`: the bytes as sent (multipart uploads). */
export type RecordedRequest = { method: string; path: string; headers: IncomingMessage["headers"]; body: unknown; raw: Buffer };
export type FakeHandler = (req: RecordedRequest, res: ServerResponse) => unknown;

export type FakeOpenAiServer = {
  /** Base URL with the version path, as the providers expect: http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Replaces the handler for the following requests. */
  handle(handler: FakeHandler): void;
  /** Resolves when a response is closed by the client (used to check that aborts reach the server). */
  nextClientClose(): Promise<void>;
  close(): Promise<void>;
};

export async function startFakeOpenAiServer(): Promise<FakeOpenAiServer> {
  let handler: FakeHandler = (_req, res) => {
    res.writeHead(500).end("no handler");
  };
  const requests: RecordedRequest[] = [];
  let closeWaiters: (() => void)[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const text = raw.toString("utf8");
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the text.
    }
    const recorded = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, raw };
    requests.push(recorded);
    res.on("close", () => {
      if (!res.writableFinished) {
        const waiters = closeWaiters;
        closeWaiters = [];
        for (const w of waiters) w();
      }
    });
    try {
      await handler(recorded, res);
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    handle(next) {
      handler = next;
    },
    nextClientClose() {
      return new Promise((resolve) => closeWaiters.push(resolve));
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes `pieces` one at a time with a pause between, so the client sees them as separate reads. */
export async function writeSlowly(res: ServerResponse, pieces: (string | Uint8Array)[], pauseMs = 15): Promise<void> {
  for (const piece of pieces) {
    if (res.destroyed) return;
    res.write(piece);
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}
