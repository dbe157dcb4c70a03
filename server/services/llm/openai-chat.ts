import "server-only";
import { AppError } from "@/server/errors";
import { openAiPost, upstreamErrorDetail, type OpenAiEndpoint } from "./openai-http";
import { SseParser } from "./sse";
import type { ChatMessage, KnowledgeEntry, LlmEvent, LlmProvider, LlmRequest, LlmTool } from "./types";

// Any OpenAI-compatible POST {base}/chat/completions with `stream: true` (OpenAI, vLLM, llama.cpp
// server, Ollama, LiteLLM …). Deltas are yielded as soon as their SSE event is complete.

export type OpenAiChatConfig = { baseUrl: string; apiKey?: string; model: string; timeoutMs: number };

// Keep the reference block from crowding out the conversation in small context windows.
const MAX_KNOWLEDGE_CHARS = 12_000;

/** The system prompt: the persona, then the avatar's knowledge entries as reference material. */
export function systemPrompt(system: string | undefined, knowledge: KnowledgeEntry[] | undefined): string | undefined {
  const parts = system?.trim() ? [system.trim()] : [];
  if (knowledge?.length) {
    let block = "Reference facts (answer from these when they apply; do not invent others):";
    for (const entry of knowledge) {
      const line = `\nQ: ${entry.question.trim()}\nA: ${entry.answer.trim()}`;
      if (block.length + line.length > MAX_KNOWLEDGE_CHARS) break;
      block += line;
    }
    parts.push(block);
  }
  return parts.length ? parts.join("\n\n") : undefined;
}

type WireToolCall = { index?: unknown; id?: unknown; function?: { name?: unknown; arguments?: unknown } };
type StreamChunk = {
  error?: unknown;
  choices?: { delta?: { content?: unknown; tool_calls?: WireToolCall[] }; message?: { content?: unknown; tool_calls?: WireToolCall[] }; finish_reason?: unknown }[];
};

/** Our messages in the chat completions wire format (tool calls and results included). */
function wireMessages(messages: ChatMessage[]): Record<string, unknown>[] {
  return messages.map((m) => {
    if (m.role === "tool") return { role: "tool", tool_call_id: m.toolCallId, content: m.content };
    if (m.role === "assistant" && m.toolCalls?.length) {
      return { role: "assistant", content: m.content || null, tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } })) };
    }
    return { role: m.role, content: m.content };
  });
}

function wireTools(tools: LlmTool[] | undefined): Record<string, unknown> {
  if (!tools?.length) return {};
  return { tools: tools.map((t) => ({ type: "function", function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters ?? { type: "object", properties: {} } } })) };
}

/** Tool calls arrive in pieces keyed by `index` (id and name first, then the arguments' text). */
class ToolCallParts {
  private readonly calls = new Map<number, { id: string; name: string; arguments: string }>();
  add(parts: WireToolCall[] | undefined) {
    for (const p of parts ?? []) {
      const index = typeof p.index === "number" ? p.index : this.calls.size;
      const call = this.calls.get(index) ?? { id: "", name: "", arguments: "" };
      if (typeof p.id === "string" && p.id) call.id = p.id;
      if (typeof p.function?.name === "string") call.name += p.function.name;
      if (typeof p.function?.arguments === "string") call.arguments += p.function.arguments;
      this.calls.set(index, call);
    }
  }
  *events(): Generator<LlmEvent> {
    for (const [index, c] of [...this.calls].sort((a, b) => a[0] - b[0])) {
      if (c.name) yield { type: "tool_call", call: { id: c.id || `call_${index}`, name: c.name, arguments: c.arguments || "{}" } };
    }
    this.calls.clear();
  }
}

// Error events carry OpenAI's error object; overload and server errors are worth a retry.
function streamError(data: string): AppError {
  const { message, code } = upstreamErrorDetail(data);
  const retryable = !code || /server_error|overloaded|rate_limit|timeout|unavailable/i.test(code);
  return new AppError("upstream_failed", `The LLM reported an error mid-stream: ${message}`, { retryable });
}

function parseChunk(data: string): StreamChunk {
  try {
    return JSON.parse(data) as StreamChunk;
  } catch (error) {
    throw new AppError("upstream_failed", `The LLM sent a malformed stream event: ${data.slice(0, 120)}`, { retryable: true, cause: error });
  }
}

/** The OpenAI-compatible chat provider. */
export function createOpenAiChatProvider(config: OpenAiChatConfig): LlmProvider {
  const endpoint: OpenAiEndpoint = {
    label: "The LLM",
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    timeoutMs: config.timeoutMs,
    vars: { baseUrl: "LLM_BASE_URL", apiKey: "LLM_API_KEY", model: "LLM_MODEL", timeout: "LLM_TIMEOUT_MS" },
  };

  async function* streamEvents(request: LlmRequest): AsyncGenerator<LlmEvent> {
    const system = systemPrompt(request.system, request.knowledge);
    const messages: ChatMessage[] = [...(system ? [{ role: "system" as const, content: system }] : []), ...request.messages];
    const payload = { model: config.model, messages: wireMessages(messages), ...wireTools(request.tools), stream: true };
    const response = await openAiPost(endpoint, "/chat/completions", payload, request.signal);
    const calls = new ToolCallParts();

    const decoder = new TextDecoder();
    if (response.contentType.includes("application/json")) {
      // A server that ignores `stream: true` answers one JSON completion: speak it all the same.
      let text = "";
      for await (const piece of response.body) text += decoder.decode(piece, { stream: true });
      const chunk = parseChunk(text + decoder.decode());
      if (chunk.error) throw streamError(JSON.stringify(chunk));
      const message = chunk.choices?.[0]?.message;
      if (typeof message?.content === "string" && message.content) yield { type: "text", delta: message.content };
      calls.add(message?.tool_calls);
      yield* calls.events();
      return;
    }

    const parser = new SseParser();
    let finished = false;
    const handle = function* (events: ReturnType<SseParser["push"]>): Generator<LlmEvent, boolean> {
      for (const event of events) {
        if (event.data.trim() === "[DONE]") return true;
        if (event.event === "error") throw streamError(event.data);
        const chunk = parseChunk(event.data);
        if (chunk.error) throw streamError(event.data);
        const choice = chunk.choices?.[0];
        const content = choice?.delta?.content;
        if (typeof content === "string" && content) yield { type: "text", delta: content };
        calls.add(choice?.delta?.tool_calls);
        if (typeof choice?.finish_reason === "string") finished = true;
      }
      return false;
    };
    const read = async function* (): AsyncGenerator<LlmEvent> {
      for await (const piece of response.body) {
        // Returning from the loop cancels the body (for-await calls its return()).
        if (yield* handle(parser.push(decoder.decode(piece, { stream: true })))) return;
      }
      if (yield* handle(parser.push(decoder.decode()))) return;
      if (yield* handle(parser.end())) return;
      // Without [DONE] or a finish_reason the connection was cut: the reply is incomplete.
      if (!finished) throw new AppError("upstream_failed", "The LLM's stream ended before the reply was complete.", { retryable: true });
    };
    yield* read();
    // A call is complete only when the reply is: its arguments arrive in pieces until then.
    yield* calls.events();
  }

  async function* streamReply(request: LlmRequest): AsyncGenerator<string> {
    for await (const e of streamEvents(request)) if (e.type === "text") yield e.delta;
  }

  return { id: "openai", streamReply, streamEvents };
}
