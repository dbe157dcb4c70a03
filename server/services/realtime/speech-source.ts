import "server-only";
import { SentenceSplitter } from "@/core/text/sentences";
import type { ChatMessage, KnowledgeEntry, LlmProvider } from "../llm";
import { isSpeakable, type TtsChunk, type TtsProvider } from "../tts";

export type Voice = { language: string; voiceId?: string; speed: number; emotion: string };

/** speak_text: the text verbatim, through the TTS (which splits it into sentences itself). */
export function speakText(tts: TtsProvider, text: string, voice: Voice, signal: AbortSignal): AsyncIterable<TtsChunk> {
  return tts.synthesize({ text, ...voice, signal });
}

/**
 * chat: the LLM's reply, spoken sentence by sentence. The reply is read on its own task, so the
 * first sentence is synthesized (and streamed) while the rest is still being generated.
 */
export function speakReply(
  llm: LlmProvider,
  tts: TtsProvider,
  input: { system?: string; messages: ChatMessage[]; knowledge: KnowledgeEntry[] },
  voice: Voice,
  signal: AbortSignal,
): AsyncGenerator<TtsChunk> {
  return speakDeltas(llm.streamReply({ ...input, signal }), tts, voice, signal);
}

/**
 * Text deltas as they are written (an LLM's reply, a live session's response with its tool rounds),
 * spoken sentence by sentence; the deltas are read on their own task.
 */
export async function* speakDeltas(deltas: AsyncIterable<string>, tts: TtsProvider, voice: Voice, signal: AbortSignal): AsyncGenerator<TtsChunk> {
  const queue = new SentenceQueue();
  const reading = (async () => {
    const splitter = new SentenceSplitter();
    try {
      for await (const delta of deltas) for (const s of splitter.push(delta)) queue.put(s);
      for (const s of splitter.flush()) queue.put(s);
      queue.close();
    } catch (error) {
      queue.fail(error);
    }
  })();
  try {
    for (;;) {
      const sentence = await queue.take();
      if (sentence === null) break;
      if (!isSpeakable(sentence)) continue; // punctuation or emoji only: nothing to say
      let first = true;
      for await (const chunk of tts.synthesize({ text: sentence, ...voice, signal })) {
        // The sentence as the LLM wrote it (with its spacing) is the transcript.
        yield first ? { ...chunk, text: sentence } : { ...chunk, text: undefined };
        first = false;
      }
    }
  } finally {
    await reading.catch(() => undefined);
  }
}

/** A FIFO of sentences with one waiting reader; errors of the producer reach the reader in order. */
class SentenceQueue {
  private items: string[] = [];
  private done = false;
  private error: unknown = null;
  private wake: (() => void) | null = null;

  put(s: string) {
    this.items.push(s);
    this.notify();
  }
  close() {
    this.done = true;
    this.notify();
  }
  fail(error: unknown) {
    this.error = error ?? new Error("reply failed");
    this.notify();
  }
  async take(): Promise<string | null> {
    for (;;) {
      if (this.items.length) return this.items.shift()!;
      if (this.error) throw this.error;
      if (this.done) return null;
      await new Promise<void>((r) => (this.wake = r));
    }
  }
  private notify() {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}
