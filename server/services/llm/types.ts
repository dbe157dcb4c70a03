import "server-only";

/** A function the model asked to run (OpenAI function calling); `arguments` is the model's JSON text. */
export type ToolCall = { id: string; name: string; arguments: string };

export type ChatMessage =
  | { role: "user" | "system"; content: string }
  /** `toolCalls`: the functions this reply asked for (their results follow as `tool` messages). */
  | { role: "assistant"; content: string; toolCalls?: ToolCall[] }
  | { role: "tool"; toolCallId: string; content: string };

/** A function the model may call; it runs in the client of a live session. `parameters` is JSON Schema. */
export type LlmTool = { name: string; description?: string; parameters?: Record<string, unknown> };

/** A question/answer pair from an avatar's settings (`settings.knowledge`). */
export type KnowledgeEntry = { question: string; answer: string };

export type LlmRequest = {
  /** The avatar's persona (its system prompt). */
  system?: string;
  /** The conversation so far, oldest first; the last user message is the one to answer. */
  messages: ChatMessage[];
  /** The avatar's knowledge entries: the FAQ responder answers from them; an LLM gets them as reference. */
  knowledge?: KnowledgeEntry[];
  /** Functions the model may call (streamEvents); a provider without function calling ignores them. */
  tools?: LlmTool[];
  signal?: AbortSignal;
};

/** What a reply is made of: text as it is written, and the function calls of the reply (once complete). */
export type LlmEvent = { type: "text"; delta: string } | { type: "tool_call"; call: ToolCall };

/**
 * Generates the avatar's reply as text deltas, as early as they exist. Throws AppError
 * (`upstream_failed` with `retryable`, `invalid_input`) and rethrows `signal.reason` on abort;
 * leaving the iteration early cancels the request.
 */
export interface LlmProvider {
  readonly id: "openai" | "faq";
  streamReply(request: LlmRequest): AsyncIterable<string>;
  /** The reply's text deltas and its function calls (the FAQ responder never calls one). Same errors. */
  streamEvents(request: LlmRequest): AsyncIterable<LlmEvent>;
}
