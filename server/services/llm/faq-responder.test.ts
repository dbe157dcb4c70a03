import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { createFaqResponder, FAQ_EMPTY, FAQ_FALLBACK, faqReply } from "./faq-responder";
import { stem } from "./faq-text";
import { knowledgeFromSettings } from "./knowledge";
import type { KnowledgeEntry } from "./types";

const KNOWLEDGE: KnowledgeEntry[] = [
  { question: "What are your opening hours?", answer: "We are open Monday to Friday from 9 am to 6 pm." },
  { question: "Where is the shop located?", answer: "You find us at 12 Harbour Street, next to the ferry terminal." },
  { question: "How much does a monthly subscription cost?", answer: "The monthly plan is 19 euros, cancellable at any time." },
  { question: "Can I get a refund for my order?", answer: "Refunds are possible within 30 days of purchase." },
  { question: "Is there parking for customers?", answer: "Yes, there are twenty free parking spaces behind the building." },
  { question: "How do I contact customer support?", answer: "Write to support@example.com or call us during opening hours." },
];

const ask = (content: string, knowledge = KNOWLEDGE) => faqReply({ messages: [{ role: "user", content }], knowledge });

describe("FAQ responder", () => {
  it.each([
    ["When do you open?", 0],
    ["what time are you opened on monday", 0],
    ["Where are you located?", 1],
    ["where's your shop", 1],
    ["What's the price of the subscription per month?", 2],
    ["How much is a subscription?", 2],
    ["Do you give refunds?", 3],
    ["is it possible to get refunded", 3],
    ["do you have customer parking", 4],
    ["How can I reach support?", 5],
  ])("answers the paraphrase %j from entry %i", (question, index) => {
    const reply = ask(question);
    expect(reply.match?.index).toBe(index);
    expect(reply.text).toBe(KNOWLEDGE[index]!.answer);
  });

  // The last two are limits, not goals: without a shared word (no synonyms) nothing matches.
  it.each(["What is the capital of France?", "Tell me a joke", "Do you sell bicycles?", "How much is a ferry ticket?", "?", "I want my money back"])("falls back honestly for %j", (question) => {
    const reply = ask(question);
    expect(reply.match).toBeNull();
    expect(reply.text.startsWith(FAQ_FALLBACK)).toBe(true);
    expect(reply.text).toContain('"What are your opening hours?"');
  });

  it("answers the last user message, not earlier ones", () => {
    const reply = faqReply({
      messages: [
        { role: "user", content: "Where is the shop?" },
        { role: "assistant", content: KNOWLEDGE[1]!.answer },
        { role: "user", content: "and is there parking?" },
      ],
      knowledge: KNOWLEDGE,
    });
    expect(reply.match?.index).toBe(4);
  });

  it("says that it has no knowledge when the avatar has none", () => {
    expect(ask("When do you open?", []).text).toBe(FAQ_EMPTY);
  });

  it("streams the answer in word-sized deltas that join to the exact text", async () => {
    const deltas: string[] = [];
    for await (const d of createFaqResponder().streamReply({ messages: [{ role: "user", content: "when are you open" }], knowledge: KNOWLEDGE })) deltas.push(d);
    expect(deltas.join("")).toBe(KNOWLEDGE[0]!.answer);
    expect(deltas.length).toBe(KNOWLEDGE[0]!.answer.split(" ").length);
  });

  it("stops with the abort reason", async () => {
    const controller = new AbortController();
    const run = async () => {
      for await (const _d of createFaqResponder().streamReply({ messages: [{ role: "user", content: "when are you open" }], knowledge: KNOWLEDGE, signal: controller.signal })) {
        controller.abort(new Error("stop"));
      }
    };
    await expect(run()).rejects.toThrow("stop");
  });

  it("stems inflections together", () => {
    expect(["open", "opening", "opened", "opens"].map(stem)).toEqual(["open", "open", "open", "open"]);
    expect(["price", "prices", "priced", "pricing"].map(stem)).toEqual(Array(4).fill("pric"));
  });
});

describe("knowledgeFromSettings", () => {
  it("reads entries and rejects malformed ones naming the path", () => {
    expect(knowledgeFromSettings({ knowledge: [{ question: " Q? ", answer: "A." }] })).toEqual([{ question: "Q?", answer: "A." }]);
    expect(knowledgeFromSettings({})).toEqual([]);
    expect(knowledgeFromSettings(null)).toEqual([]);
    const error = (() => {
      try {
        knowledgeFromSettings({ knowledge: [{ question: "Q", answer: "" }] });
      } catch (e) {
        return e as AppError;
      }
    })();
    expect(error?.code).toBe("invalid_input");
    expect(error?.message).toContain("settings.knowledge[0].answer");
  });
});
