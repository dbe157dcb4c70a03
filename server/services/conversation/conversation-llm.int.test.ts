// The conversation loop against an OpenAI-compatible LLM (a local fake: a third party): the thread's
// history reaches the model, within a session and in the next session on the same thread, and the
// model's function calls round-trip through the client, or fail after 2.5 s without an answer.
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest } from "../llm/testing/fake-openai-server";
import { openTestConversation, transcript, useConversationWorld, userText } from "./testing/conversation-fixture";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

let llm: FakeOpenAiServer;
beforeAll(async () => {
  llm = await startFakeOpenAiServer();
});
afterAll(async () => {
  await llm.close();
});

// getEnv() is read once per process: the LLM is configured before the world (and anything) reads it.
const world = useConversationWorld("conversation-llm", { persona: "You are Ada, the station guide." }, () => {
  process.env.LLM_BASE_URL = llm.baseUrl;
  process.env.LLM_MODEL = "fake-model";
});

const sse = (delta: Record<string, unknown>, finish: string | null = null) => `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
function reply(res: ServerResponse, text: string) {
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.end(`${sse({ content: text })}${sse({}, "stop")}data: [DONE]\n\n`);
}
function callTool(res: ServerResponse, id: string, name: string, args: string) {
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.write(sse({ tool_calls: [{ index: 0, id, type: "function", function: { name, arguments: "" } }] }));
  res.end(`${sse({ tool_calls: [{ index: 0, function: { arguments: args } }] })}${sse({}, "tool_calls")}data: [DONE]\n\n`);
}
type Sent = { messages: { role: string; content: string | null; tool_calls?: unknown[]; tool_call_id?: string }[]; tools?: { type: string; function: { name: string } }[] };
const body = (r: RecordedRequest) => r.body as Sent;

describe("the conversation loop with an OpenAI-compatible LLM", () => {
  it("gives the model the thread's history: the first question when answering the second, and the last session's in the next", async () => {
    llm.handle((req, res) => reply(res, body(req).messages.length > 2 ? "Hydroponics is on deck two." : "The galley is on deck one."));
    const { conversation, sink, config } = await openTestConversation(world, { outputModality: "text" });
    await conversation.handle(userText("Where is the galley?"));
    await sink.next("response.done");
    await conversation.handle(userText("And the greenhouse?"));
    await sink.next("response.done", 2);
    await conversation.close("client_closed");
    const second = body(llm.requests.at(-1)!);
    expect(second.messages.map((m) => [m.role, m.content])).toEqual([
      ["system", expect.stringContaining("You are Ada")],
      ["user", "Where is the galley?"],
      ["assistant", "The galley is on deck one."],
      ["user", "And the greenhouse?"],
    ]);

    // A new session on the same thread continues it.
    const next = await openTestConversation(world, { outputModality: "text", threadId: config.threadId });
    await next.conversation.handle(userText("Thanks, bye."));
    await next.sink.next("response.done");
    await next.conversation.close("client_closed");
    expect(body(llm.requests.at(-1)!).messages.map((m) => m.content).slice(1)).toEqual([
      "Where is the galley?",
      "The galley is on deck one.",
      "And the greenhouse?",
      "Hydroponics is on deck two.",
      "Thanks, bye.",
    ]);
  });

  it("a function call goes to the client, its output back to the model, and the spoken answer follows", async () => {
    llm.handle((req, res) => {
      const last = body(req).messages.at(-1)!;
      if (last.role === "tool") return reply(res, `The airlock is ${JSON.parse(last.content!).state}.`);
      return callTool(res, "call_1", "airlock_state", '{"deck":1}');
    });
    const tools = [{ type: "function" as const, name: "airlock_state", description: "Whether the airlock is open", parameters: { type: "object", properties: { deck: { type: "number" } } } }];
    const { conversation, sink, config } = await openTestConversation(world, { tools });
    await conversation.handle(userText("Is the airlock open?"));
    const call = await sink.next("response.function_call");
    expect(call).toMatchObject({ call_id: "call_1", name: "airlock_state", arguments: '{"deck":1}' });
    await conversation.handle({ type: "conversation.item.create", input_source: "text", item: { type: "function_call_output", call_id: "call_1", output: '{"state":"closed"}' } });
    const done = await sink.next("response.done");
    expect(done.response.status).toBe("completed");
    expect(sink.events("response.text.delta").map((d) => d.delta).join("")).toBe("The airlock is closed.");
    expect(sink.records("audio").length).toBeGreaterThan(0);
    expect(done.response.usage.credit_micros).toBeGreaterThan(0);

    const [first, second] = llm.requests.slice(-2).map(body);
    expect(first!.tools).toMatchObject([{ type: "function", function: { name: "airlock_state" } }]);
    expect(second!.messages.slice(-2)).toMatchObject([
      { role: "assistant", tool_calls: [{ id: "call_1", type: "function", function: { name: "airlock_state", arguments: '{"deck":1}' } }] },
      { role: "tool", tool_call_id: "call_1", content: '{"state":"closed"}' },
    ]);
    await conversation.close("client_closed");
    const rows = await transcript(world.db, world.caller.tenantId, config.threadId);
    expect(rows.map((r) => r.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    expect(rows[1]!.tool).toMatchObject({ call_id: "call_1", name: "airlock_state" });
    expect(rows[3]!.text).toBe("The airlock is closed.");
  });

  it("a client that does not answer within 2.5 s: the model is told the call failed, and a late answer is refused", async () => {
    llm.handle((req, res) => {
      const last = body(req).messages.at(-1)!;
      if (last.role === "tool") return reply(res, "Sorry, I could not check the airlock.");
      return callTool(res, "call_2", "airlock_state", "{}");
    });
    const tools = [{ type: "function" as const, name: "airlock_state" }];
    const { conversation, sink } = await openTestConversation(world, { tools, outputModality: "text" });
    await conversation.handle(userText("Is the airlock open?"));
    const callAt = (await sink.next("response.function_call"), performance.now());
    await sink.next("response.done");
    const waited = performance.now() - callAt;
    expect(waited).toBeGreaterThan(2_400);
    expect(waited).toBeLessThan(4_000);
    const toolMessage = body(llm.requests.at(-1)!).messages.at(-1)!;
    expect(toolMessage).toMatchObject({ role: "tool", tool_call_id: "call_2" });
    expect(JSON.parse(toolMessage.content!).error).toMatch(/2\.5 seconds/);
    await conversation.handle({ type: "conversation.item.create", input_source: "text", item: { type: "function_call_output", call_id: "call_2", output: "{}" } });
    expect(sink.events("error")).toMatchObject([{ error: { code: "unknown_call_id" } }]);
    await conversation.close("client_closed");
  });
});
