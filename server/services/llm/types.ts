import "server-only";

export type ChatMessage = { role: "user" | "assistant" | "system"; content: string };

/** A question/answer pair from an avatar's settings (`settings.knowledge`). */
export type KnowledgeEntry = { question: string; answer: string };

export type LlmRequest = {
  /** The avatar's persona (its system prompt). */
  system?: string;
  /** The conversation so far, oldest first; the last user message is the one to answer. */
  messages: ChatMessage[];
  /** The avatar's knowledge entries: the FAQ responder answers from them; an LLM gets them as reference. */
  knowledge?: KnowledgeEntry[];
  signal?: AbortSignal;
};

/**
 * Generates the avatar's reply as text deltas, as early as they exist. Throws AppError
 * (`upstream_failed` with `retryable`, `invalid_input`) and rethrows `signal.reason` on abort;
 * leaving the iteration early cancels the request.
 */
export interface LlmProvider {
  readonly id: "openai" | "faq";
  streamReply(request: LlmRequest): AsyncIterable<string>;
}
