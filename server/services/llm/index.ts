import "server-only";
import type { Env } from "@/server/env";
import { AppError } from "@/server/errors";
import { createFaqResponder } from "./faq-responder";
import { createOpenAiChatProvider } from "./openai-chat";
import type { LlmProvider } from "./types";

export type { ChatMessage, KnowledgeEntry, LlmEvent, LlmProvider, LlmRequest, LlmTool, ToolCall } from "./types";
export { knowledgeFromSettings, knowledgeSchema } from "./knowledge";

export type LlmEnv = Pick<Env, "LLM_BASE_URL" | "LLM_API_KEY" | "LLM_MODEL" | "LLM_TIMEOUT_MS">;

const HOW_TO =
  "set LLM_BASE_URL (an OpenAI-compatible API including its version path, e.g. https://api.openai.com/v1), LLM_MODEL (e.g. gpt-4o-mini) and, when the server needs one, LLM_API_KEY";

/**
 * `chat` is not configured for this key. Code `unavailable` (503) with retryable false: retrying
 * cannot help until an operator sets the variables; `reason` lets an edge report it specifically.
 */
export class LlmNotConfiguredError extends AppError {
  readonly reason = "llm_not_configured";
  constructor(message: string) {
    super("unavailable", message, { retryable: false });
  }
}

/**
 * The chat provider for a caller: an OpenAI-compatible LLM when LLM_BASE_URL is set; otherwise the
 * FAQ responder for test keys and the demo; otherwise (a live key) LlmNotConfiguredError.
 */
export function getLlmProvider(options: { env: LlmEnv; environment: "test" | "live"; demo: boolean }): LlmProvider {
  const { env } = options;
  if (env.LLM_BASE_URL) {
    if (!env.LLM_MODEL) throw new LlmNotConfiguredError(`LLM_BASE_URL is set but LLM_MODEL is not: ${HOW_TO}.`);
    if (!env.LLM_API_KEY && new URL(env.LLM_BASE_URL).hostname === "api.openai.com") {
      throw new LlmNotConfiguredError(`LLM_BASE_URL points at OpenAI but LLM_API_KEY is not set: ${HOW_TO}.`);
    }
    return createOpenAiChatProvider({ baseUrl: env.LLM_BASE_URL, apiKey: env.LLM_API_KEY, model: env.LLM_MODEL, timeoutMs: env.LLM_TIMEOUT_MS });
  }
  if (options.environment === "test" || options.demo) return createFaqResponder();
  throw new LlmNotConfiguredError(
    `Chat turns on live keys need an LLM and none is configured on this server: ${HOW_TO}. Until then use mode "speak_text", or a test key (answers from the avatar's knowledge entries).`,
  );
}
