import "server-only";
import { splitSentences } from "@/core/text/sentences";
import { buildCatalog, resolveEspeakVoice, type EspeakCatalog } from "./espeak-voices";
import { espeakProsody } from "./espeak-params";
import { runEspeakText, streamEspeak } from "./espeak-process";
import type { TtsChunk, TtsProvider, TtsRequest, TtsVoice } from "./types";
import { throwIfAborted, validateTtsRequest } from "./validate";

// The embedded default TTS: Debian's espeak-ng, one subprocess per sentence. Per-sentence runs
// give the first audio after the first sentence's start rather than the whole text's, let the
// caller know where each sentence begins (`TtsChunk.text`), and stop work on later sentences as
// soon as the caller aborts. espeak-ng starts in tens of milliseconds and synthesizes far faster
// than real time, so the sentences are run one after another, not in parallel.

export type EspeakOptions = {
  /** The executable (ESPEAK_NG_PATH); a bare name is looked up on PATH. */
  binary?: string;
  /** Hard limit for one sentence's synthesis. */
  timeoutMs?: number;
};

// espeak-ng reads "[[...]]" as raw phoneme input; in user text it is noise, never a request for that.
function plainText(sentence: string): string {
  return sentence.replace(/\[\[/g, "[ [").replace(/\s+/g, " ");
}

const catalogs = new Map<string, Promise<EspeakCatalog>>();

/** The installed voices, listed once per binary; a failure is not cached so a later install is seen. */
function loadCatalog(binary: string): Promise<EspeakCatalog> {
  let pending = catalogs.get(binary);
  if (!pending) {
    pending = Promise.all([runEspeakText(binary, ["--voices"], 10_000), runEspeakText(binary, ["--voices=variant"], 10_000)]).then(
      ([voices, variants]) => buildCatalog(voices, variants),
    );
    pending.catch(() => catalogs.delete(binary));
    catalogs.set(binary, pending);
  }
  return pending;
}

/** The embedded espeak-ng provider (no network, no key). */
export function createEspeakProvider(options: EspeakOptions = {}): TtsProvider {
  const binary = options.binary ?? "espeak-ng";
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function* synthesize(request: TtsRequest): AsyncGenerator<TtsChunk> {
    const text = validateTtsRequest(request);
    const { signal } = request;
    throwIfAborted(signal);
    const catalog = await loadCatalog(binary);
    const voice = resolveEspeakVoice(catalog, request);
    const prosody = espeakProsody(request.speed, request.emotion);
    for (const sentence of splitSentences(text, { maxChars: 300 })) {
      throwIfAborted(signal);
      let first = true;
      for await (const block of streamEspeak(binary, { voice, ...prosody }, plainText(sentence), { signal, timeoutMs })) {
        yield first ? { ...block, text: sentence } : block;
        first = false;
      }
    }
  }

  async function voices(): Promise<TtsVoice[]> {
    const catalog = await loadCatalog(binary);
    const variants = [...catalog.variants.values()].sort();
    return [...catalog.languages.values()].map((l) => ({ id: `espeak:${l.code}`, name: l.name, language: l.code, variants }));
  }

  return { id: "espeak", synthesize, voices };
}
