import { describe, expect, it } from "vitest";
import { SentenceSplitter } from "@/core/text/sentences";
import { createEspeakProvider } from "@/server/services/tts/espeak";
import { isSpeakable } from "@/server/services/tts/validate";
import { createFaqResponder } from "./faq-responder";

// How a chat turn composes the pieces: reply deltas → sentences → speech, the first sentence
// spoken while the rest of the reply is still arriving.

describe("reply → sentences → speech", () => {
  it("speaks the first sentence before the reply has finished streaming", async () => {
    const knowledge = [{ question: "What can I see here?", answer: "The museum shows old maps. The east wing has ship models… Entry is free on Sundays! 🙂" }];
    const llm = createFaqResponder();
    const tts = createEspeakProvider();
    const splitter = new SentenceSplitter();
    const events: string[] = [];
    const speak = async (sentence: string) => {
      if (!isSpeakable(sentence)) return events.push(`skip:${sentence}`);
      for await (const chunk of tts.synthesize({ text: sentence, language: "en" })) if (chunk.text) events.push(`audio:${chunk.text}`);
    };
    for await (const delta of llm.streamReply({ messages: [{ role: "user", content: "what is there to see?" }], knowledge })) {
      events.push("delta");
      for (const sentence of splitter.push(delta)) await speak(sentence);
    }
    events.push("reply-done");
    for (const sentence of splitter.flush()) await speak(sentence);

    expect(events.filter((e) => e.startsWith("audio:"))).toEqual([
      "audio:The museum shows old maps.",
      "audio:The east wing has ship models…",
      "audio:Entry is free on Sundays!",
    ]);
    expect(events.indexOf("audio:The museum shows old maps.")).toBeLessThan(events.indexOf("reply-done"));
    expect(events.at(-1)).toBe("skip:🙂");
  });
});
