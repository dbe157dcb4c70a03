import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { getLlmProvider, LlmNotConfiguredError, type LlmEnv } from "./index";

const none: LlmEnv = { LLM_BASE_URL: undefined, LLM_API_KEY: undefined, LLM_MODEL: undefined, LLM_TIMEOUT_MS: 30_000 };
const configured: LlmEnv = { ...none, LLM_BASE_URL: "http://127.0.0.1:8000/v1", LLM_MODEL: "llama-3.1-8b" };

describe("getLlmProvider", () => {
  it("uses the configured OpenAI-compatible LLM for every caller", () => {
    for (const environment of ["test", "live"] as const) {
      for (const demo of [true, false]) expect(getLlmProvider({ env: configured, environment, demo }).id).toBe("openai");
    }
  });

  it("falls back to the FAQ responder for test keys and the demo only", () => {
    expect(getLlmProvider({ env: none, environment: "test", demo: false }).id).toBe("faq");
    expect(getLlmProvider({ env: none, environment: "live", demo: true }).id).toBe("faq");
  });

  it("refuses a live key without an LLM, saying which variables to set", () => {
    let error: unknown;
    try {
      getLlmProvider({ env: none, environment: "live", demo: false });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LlmNotConfiguredError);
    const e = error as LlmNotConfiguredError;
    expect(e).toBeInstanceOf(AppError);
    expect([e.status, e.code, e.reason, e.details.retryable]).toEqual([503, "unavailable", "llm_not_configured", false]);
    for (const name of ["LLM_BASE_URL", "LLM_MODEL", "LLM_API_KEY", "speak_text"]) expect(e.message).toContain(name);
  });

  it("names the missing piece of a half-done configuration", () => {
    expect(() => getLlmProvider({ env: { ...configured, LLM_MODEL: undefined }, environment: "test", demo: false })).toThrow(/LLM_MODEL is not/);
    expect(() => getLlmProvider({ env: { ...configured, LLM_BASE_URL: "https://api.openai.com/v1" }, environment: "live", demo: false })).toThrow(/LLM_API_KEY is not set/);
  });
});
