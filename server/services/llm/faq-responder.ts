import "server-only";
import { contentTokens } from "./faq-text";
import type { KnowledgeEntry, LlmEvent, LlmProvider, LlmRequest } from "./types";

// The embedded chat default for test keys and the demo: not a language model. It picks the
// knowledge entry whose question is most similar to the user's last message (TF-IDF cosine over
// normalized tokens) and speaks that entry's answer verbatim; below a threshold it says plainly
// that it has no answer and which questions it can answer. No network, deterministic.

/** Minimum cosine similarity to answer; below it the honest fallback is spoken. */
export const FAQ_MIN_SIMILARITY = 0.3;
// The answer text helps a little ("how much is it" finds the entry whose answer says "costs"), but
// a match on the question must dominate.
const ANSWER_WEIGHT = 0.3;
const TOPICS_LISTED = 4;
// Question words tell "when do you open" from "where are you", but alone they are no topic:
// they count half, and a match needs at least one shared word that is not one of them.
const QUESTION_WORDS = new Set(["what", "when", "where", "why", "how", "who", "which", "much", "many"]);
const QUESTION_WORD_WEIGHT = 0.5;

export const FAQ_FALLBACK = "I don't have an answer to that yet.";
export const FAQ_EMPTY = "I don't have an answer to that yet: no questions and answers have been added to my knowledge.";

type Vector = Map<string, number>;

function termFrequencies(tokens: string[], weight: number, into: Vector = new Map()): Vector {
  for (const t of tokens) into.set(t, (into.get(t) ?? 0) + weight * (QUESTION_WORDS.has(t) ? QUESTION_WORD_WEIGHT : 1));
  return into;
}

function norm(v: Vector): number {
  let s = 0;
  for (const x of v.values()) s += x * x;
  return Math.sqrt(s);
}

export type FaqMatch = { index: number; score: number } | null;

/** An index over knowledge entries; `match` returns the best entry above the threshold, or null. */
export class FaqIndex {
  private readonly docs: Vector[];
  private readonly idf = new Map<string, number>();
  private readonly unseenIdf: number;

  constructor(readonly entries: KnowledgeEntry[]) {
    const raw = entries.map((e) => termFrequencies(contentTokens(e.answer), ANSWER_WEIGHT, termFrequencies(contentTokens(e.question), 1)));
    const n = entries.length;
    const df = new Map<string, number>();
    for (const doc of raw) for (const t of doc.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    // Smoothed idf (always ≥ 1): words in every entry count least; words in none count most, so
    // an off-topic question has a long vector and a low cosine.
    for (const [t, d] of df) this.idf.set(t, 1 + Math.log((n + 1) / (d + 1)));
    this.unseenIdf = 1 + Math.log(n + 1);
    this.docs = raw.map((doc) => new Map([...doc].map(([t, tf]) => [t, tf * this.idf.get(t)!])));
  }

  /** Similarity of `text` to each entry, best first. */
  scores(text: string): { index: number; score: number }[] {
    const query = new Map([...termFrequencies(contentTokens(text), 1)].map(([t, tf]) => [t, tf * (this.idf.get(t) ?? this.unseenIdf)]));
    const qn = norm(query);
    return this.docs
      .map((doc, index) => {
        let dot = 0;
        let topical = false;
        for (const [t, w] of query) {
          const d = doc.get(t);
          if (d === undefined) continue;
          dot += w * d;
          topical ||= !QUESTION_WORDS.has(t);
        }
        const dn = norm(doc);
        return { index, score: topical && qn && dn ? dot / (qn * dn) : 0 };
      })
      .sort((a, b) => b.score - a.score || a.index - b.index);
  }

  match(text: string, minSimilarity = FAQ_MIN_SIMILARITY): FaqMatch {
    const best = this.scores(text)[0];
    return best && best.score >= minSimilarity ? best : null;
  }
}

/** The honest fallback, naming some questions the avatar can answer. */
export function fallbackReply(entries: KnowledgeEntry[]): string {
  if (entries.length === 0) return FAQ_EMPTY;
  const topics = entries.slice(0, TOPICS_LISTED).map((e) => `"${e.question.trim()}"`);
  const list = topics.length === 1 ? topics[0] : `${topics.slice(0, -1).join(", ")} or ${topics.at(-1)}`;
  return `${FAQ_FALLBACK} I can answer questions such as ${list}`.replace(/([^.?!"])$/, "$1.");
}

/** The reply text for a request (exported for tests and for callers that want it whole). */
export function faqReply(request: Pick<LlmRequest, "messages" | "knowledge">): { text: string; match: FaqMatch } {
  const entries = request.knowledge ?? [];
  const question = [...request.messages].reverse().find((m) => m.role === "user")?.content ?? "";
  const match = entries.length && question.trim() ? new FaqIndex(entries).match(question) : null;
  return { text: match ? entries[match.index]!.answer.trim() : fallbackReply(entries), match };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}

/** The FAQ responder as an LlmProvider: streams the chosen answer in word-sized deltas. */
export function createFaqResponder(): LlmProvider {
  async function* streamReply(request: LlmRequest): AsyncGenerator<string> {
    throwIfAborted(request.signal);
    const { text } = faqReply(request);
    for (const word of text.match(/\s*\S+/g) ?? []) {
      throwIfAborted(request.signal);
      yield word;
    }
  }
  async function* streamEvents(request: LlmRequest): AsyncGenerator<LlmEvent> {
    for await (const delta of streamReply(request)) yield { type: "text", delta };
  }
  return { id: "faq", streamReply, streamEvents };
}
