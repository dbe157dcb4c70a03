import "server-only";
import { AppError } from "@/server/errors";
import { openAiPost, upstreamErrorDetail, type OpenAiEndpoint } from "./openai-http";
import { SseParser } from "./sse";
import type { ChatMessage, KnowledgeEntry, LlmProvider, LlmRequest } from "./types";

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

type StreamChunk = {
  error?: unknown;
  choices?: { delta?: { content?: unknown }; message?: { content?: unknown }; finish_reason?: unknown }[];
};

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

  async function* streamReply(request: LlmRequest): AsyncGenerator<string> {
    const system = systemPrompt(request.system, request.knowledge);
    const messages: ChatMessage[] = [...(system ? [{ role: "system" as const, content: system }] : []), ...request.messages];
    const response = await openAiPost(endpoint, "/chat/completions", { model: config.model, messages, stream: true }, request.signal);

    const decoder = new TextDecoder();
    if (response.contentType.includes("application/json")) {
      // A server that ignores `stream: true` answers one JSON completion: speak it all the same.
      let text = "";
      for await (const piece of response.body) text += decoder.decode(piece, { stream: true });
      const chunk = parseChunk(text + decoder.decode());
      if (chunk.error) throw streamError(JSON.stringify(chunk));
      const content = chunk.choices?.[0]?.message?.content;
      if (typeof content === "string" && content) yield content;
      return;
    }

    const parser = new SseParser();
    let finished = false;
    const handle = function* (events: ReturnType<SseParser["push"]>): Generator<string, boolean> {
      for (const event of events) {
        if (event.data.trim() === "[DONE]") return true;
        if (event.event === "error") throw streamError(event.data);
        const chunk = parseChunk(event.data);
        if (chunk.error) throw streamError(event.data);
        const choice = chunk.choices?.[0];
        const content = choice?.delta?.content;
        if (typeof content === "string" && content) yield content;
        if (typeof choice?.finish_reason === "string") finished = true;
      }
      return false;
    };
    for await (const piece of response.body) {
      // Returning from the loop cancels the body (for-await calls its return()).
      if (yield* handle(parser.push(decoder.decode(piece, { stream: true })))) return;
    }
    if (yield* handle(parser.push(decoder.decode()))) return;
    if (yield* handle(parser.end())) return;
    // Without [DONE] or a finish_reason the connection was cut: the reply is incomplete.
    if (!finished) throw new AppError("upstream_failed", "The LLM's stream ended before the reply was complete.", { retryable: true });
  }

  return { id: "openai", streamReply };
}
