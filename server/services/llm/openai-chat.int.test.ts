import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { createOpenAiChatProvider, type OpenAiChatConfig } from "./openai-chat";
import { startFakeOpenAiServer, writeSlowly, type FakeOpenAiServer } from "./testing/fake-openai-server";
import type { LlmRequest } from "./types";

// The OpenAI-compatible chat provider against a local server speaking /v1/chat/completions.

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await startFakeOpenAiServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const config = (over: Partial<OpenAiChatConfig> = {}): OpenAiChatConfig => ({
  baseUrl: server.baseUrl,
  apiKey: "sk-llm-secret",
  model: "test-model",
  timeoutMs: 2_000,
  ...over,
});
const request = (over: Partial<LlmRequest> = {}): LlmRequest => ({ system: "You are Ada, a museum guide.", messages: [{ role: "user", content: "Hi!" }], ...over });

const sseChunk = (content: string, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;

async function reply(over: Partial<OpenAiChatConfig> = {}, req: LlmRequest = request()): Promise<string[]> {
  const deltas: string[] = [];
  for await (const d of createOpenAiChatProvider(config(over)).streamReply(req)) deltas.push(d);
  return deltas;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => new Error("expected a failure"),
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw error;
  return error;
}

function sse(res: ServerResponse) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
}

describe("OpenAI-compatible chat", () => {
  it("streams deltas from SSE frames split at arbitrary bytes, multi-byte characters included", async () => {
    const stream = Buffer.from(
      `: ping\n\n${sseChunk("Grüß ")}${sseChunk("dich, ")}${sseChunk("Welt 🌍!")}data: {"choices":[{"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`,
    );
    // Cuts inside "ü", inside the emoji's four bytes, and between "\n" and "\n".
    const emoji = stream.indexOf(Buffer.from("🌍"));
    const cuts = [5, stream.indexOf(Buffer.from("ü")) + 1, emoji + 2, emoji + 3, stream.indexOf("\n\n") + 1, stream.length - 3];
    server.handle(async (_req, res) => {
      sse(res);
      let at = 0;
      await writeSlowly(res, [...cuts.sort((a, b) => a - b), stream.length].map((c) => stream.subarray(at, (at = c))));
      res.end();
    });
    const deltas = await reply({}, request({ knowledge: [{ question: "When do you open?", answer: "At nine." }] }));
    expect(deltas).toEqual(["Grüß ", "dich, ", "Welt 🌍!"]);
    const sent = server.requests[0]!;
    expect(sent.path).toBe("/v1/chat/completions");
    expect(sent.headers.authorization).toBe("Bearer sk-llm-secret");
    const body = sent.body as { model: string; stream: boolean; messages: { role: string; content: string }[] };
    expect(body.model).toBe("test-model");
    expect(body.stream).toBe(true);
    expect(body.messages[0]!.role).toBe("system");
    expect(body.messages[0]!.content).toContain("You are Ada");
    expect(body.messages[0]!.content).toContain("Q: When do you open?\nA: At nine.");
    expect(body.messages[1]).toEqual({ role: "user", content: "Hi!" });
  });

  it("yields the first delta before the stream is over", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    server.handle(async (_req, res) => {
      sse(res);
      res.write(sseChunk("First. "));
      await gate;
      res.end(`${sseChunk("Second.", "stop")}data: [DONE]\n\n`);
    });
    const deltas: string[] = [];
    for await (const d of createOpenAiChatProvider(config()).streamReply(request())) {
      deltas.push(d);
      release(); // the server sends the rest only after we have the first delta
    }
    expect(deltas).toEqual(["First. ", "Second."]);
  });

  it("ignores events after [DONE] and accepts a finish_reason without [DONE]", async () => {
    server.handle((_req, res) => {
      sse(res);
      res.end(`${sseChunk("A")}data: [DONE]\n\n${sseChunk("never")}`);
    });
    expect(await reply()).toEqual(["A"]);
    server.handle((_req, res) => {
      sse(res);
      res.end(sseChunk("B", "stop"));
    });
    expect(await reply()).toEqual(["B"]);
  });

  it("reports a stream cut before completion as retryable", async () => {
    server.handle((_req, res) => {
      sse(res);
      res.end(sseChunk("Half a sen"));
    });
    const error = await failure(reply());
    expect(error.code).toBe("upstream_failed");
    expect(error.details.retryable).toBe(true);
    expect(error.message).toContain("ended before");
  });

  it("turns an error event mid-stream into upstream_failed", async () => {
    server.handle((_req, res) => {
      sse(res);
      res.end(`${sseChunk("Hel")}data: {"error":{"message":"The server had an error","type":"server_error"}}\n\n`);
    });
    const error = await failure(reply());
    expect([error.code, error.details.retryable]).toEqual(["upstream_failed", true]);
    expect(error.message).toContain("The server had an error");

    server.handle((_req, res) => {
      sse(res);
      res.end(`event: error\ndata: {"error":{"message":"context length exceeded","code":"context_length_exceeded"}}\n\n`);
    });
    const fatal = await failure(reply());
    expect(fatal.details.retryable).toBe(false);
  });

  it("speaks a non-streaming JSON completion from a server that ignores stream: true", async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ choices: [{ message: { role: "assistant", content: "Whole reply." } }] }));
    });
    expect(await reply()).toEqual(["Whole reply."]);
  });

  it.each([
    [401, false, "LLM_API_KEY"],
    [404, false, "LLM_MODEL"],
    [429, true, "Rate limited"],
    [500, true, "HTTP 500"],
  ])("maps HTTP %i to upstream_failed (retryable: %s)", async (status, retryable, mentions) => {
    server.handle((_req, res) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `failure ${status}` } })));
    const error = await failure(reply());
    expect([error.code, error.status, error.details.retryable]).toEqual(["upstream_failed", 502, retryable]);
    expect(error.message).toContain(mentions);
    expect(error.message).toContain(`failure ${status}`);
    expect(error.message).not.toContain("sk-llm-secret");
  });

  it("times out a server that keeps the connection silent", async () => {
    server.handle((_req, res) => {
      sse(res);
      res.write(sseChunk("Thinking"));
    });
    const deltas: string[] = [];
    const error = await failure(
      (async () => {
        for await (const d of createOpenAiChatProvider(config({ timeoutMs: 300 })).streamReply(request())) deltas.push(d);
      })(),
    );
    expect(deltas).toEqual(["Thinking"]);
    expect([error.code, error.details.retryable]).toEqual(["upstream_failed", true]);
    expect(error.message).toContain("LLM_TIMEOUT_MS");
  });

  it("cancels the request when the caller aborts", async () => {
    server.handle(async (_req, res) => {
      sse(res);
      for (let i = 0; i < 300 && !res.destroyed; i++) await writeSlowly(res, [sseChunk(`w${i} `)], 10);
      res.end();
    });
    const controller = new AbortController();
    const closed = server.nextClientClose();
    const deltas: string[] = [];
    const run = (async () => {
      for await (const d of createOpenAiChatProvider(config()).streamReply(request({ signal: controller.signal }))) {
        deltas.push(d);
        if (deltas.length === 3) controller.abort(new Error("user interrupted"));
      }
    })();
    await expect(run).rejects.toThrow("user interrupted");
    await closed;
    expect(deltas).toEqual(["w0 ", "w1 ", "w2 "]);
  });

  it("function calling: tools and tool messages in the wire format; calls assembled from streamed pieces, and from a JSON completion", async () => {
    server.handle(async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const piece = (tool_calls: unknown[], finish: string | null = null) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { tool_calls }, finish_reason: finish }] })}\n\n`;
      await writeSlowly(res, [
        piece([{ index: 0, id: "call_a", type: "function", function: { name: "look", arguments: "" } }]),
        piece([{ index: 0, function: { arguments: '{"x":' } }, { index: 1, id: "call_b", function: { name: "wave", arguments: "{}" } }]),
        piece([{ index: 0, function: { arguments: "1}" } }], "tool_calls"),
        "data: [DONE]\n\n",
      ]);
      res.end();
    });
    const provider = createOpenAiChatProvider(config());
    const tools = [{ name: "look", description: "Look around", parameters: { type: "object", properties: { x: { type: "number" } } } }, { name: "wave" }];
    const messages: LlmRequest["messages"] = [
      { role: "user", content: "Look." },
      { role: "assistant", content: "", toolCalls: [{ id: "call_0", name: "look", arguments: "{}" }] },
      { role: "tool", toolCallId: "call_0", content: '{"seen":"stars"}' },
    ];
    const events = [];
    for await (const e of provider.streamEvents(request({ messages, tools }))) events.push(e);
    expect(events).toEqual([
      { type: "tool_call", call: { id: "call_a", name: "look", arguments: '{"x":1}' } },
      { type: "tool_call", call: { id: "call_b", name: "wave", arguments: "{}" } },
    ]);
    const sent = server.requests.at(-1)!.body as { tools: unknown[]; messages: unknown[] };
    expect(sent.tools).toEqual([
      { type: "function", function: { name: "look", description: "Look around", parameters: { type: "object", properties: { x: { type: "number" } } } } },
      { type: "function", function: { name: "wave", parameters: { type: "object", properties: {} } } },
    ]);
    expect(sent.messages.slice(-2)).toEqual([
      { role: "assistant", content: null, tool_calls: [{ id: "call_0", type: "function", function: { name: "look", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "call_0", content: '{"seen":"stars"}' },
    ]);

    server.handle((_req, res) => {
      const message = { role: "assistant", content: null, tool_calls: [{ id: "call_c", type: "function", function: { name: "wave", arguments: '{"hand":"left"}' } }] };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ choices: [{ message, finish_reason: "tool_calls" }] }));
    });
    const whole = [];
    for await (const e of provider.streamEvents(request({ tools }))) whole.push(e);
    expect(whole).toEqual([{ type: "tool_call", call: { id: "call_c", name: "wave", arguments: '{"hand":"left"}' } }]);
    // Without tools nothing about them is sent (servers without function calling accept the request).
    await reply();
    expect(server.requests.at(-1)!.body).not.toHaveProperty("tools");
  });
});
