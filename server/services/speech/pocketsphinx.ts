import "server-only";
import { floatToPcm16 } from "@/core/audio/pcm16";
import { SPEECH_SAMPLE_RATE, SpeechRateConverter } from "@/core/audio/speech-rate";
import { AppError } from "@/server/errors";
import { languageIn, unsupportedLanguage } from "./errors";
import type { PocketsphinxEngine } from "./pocketsphinx-engine";
import { STT_LIMITS, type SttOpenOptions, type SttProvider, type SttSession } from "./types";

// The embedded default recogniser: Debian's pocketsphinx with its US English model, no network.
// Audio is converted to 16 kHz and handed to the engine as it is pushed, so the decoder keeps up with
// the speaker and `finish` waits only for the last search pass (tens of milliseconds).

/** pocketsphinx-en-us is an English model; it is used for every English variant. */
export const POCKETSPHINX_LANGUAGES = ["en"] as const;

/** The pocketsphinx provider over a running engine (see getSttProvider for the process-wide one). */
export function createPocketsphinxProvider(engine: () => PocketsphinxEngine): SttProvider {
  const supports = (language: string) => languageIn(language, POCKETSPHINX_LANGUAGES);
  return {
    id: "pocketsphinx",
    languages: POCKETSPHINX_LANGUAGES,
    supports,
    open(options: SttOpenOptions): SttSession {
      if (!supports(options.language)) throw unsupportedLanguage(options.language, "pocketsphinx", POCKETSPHINX_LANGUAGES);
      let converter: SpeechRateConverter;
      try {
        converter = new SpeechRateConverter(options.sampleRate);
      } catch (error) {
        throw new AppError("invalid_input", `sample_rate: ${(error as Error).message}.`, { field: "sample_rate", cause: error });
      }
      const utterance = engine().open(options.onPartial);
      const maxSamples = (STT_LIMITS.maxUtteranceMs * SPEECH_SAMPLE_RATE) / 1000;
      let sent = 0;
      const send = (pcm: Int16Array) => {
        // Past the limit the rest is not heard: memory and decoding time stay bounded.
        const room = Math.max(0, maxSamples - sent);
        if (room === 0 || pcm.length === 0) return;
        const piece = pcm.length > room ? pcm.subarray(0, room) : pcm;
        sent += piece.length;
        utterance.push(piece);
      };
      const native = options.sampleRate === SPEECH_SAMPLE_RATE;
      return {
        push(pcm) {
          send(native ? pcm : floatToPcm16(converter.push(pcm)));
        },
        async finish() {
          if (!native) send(floatToPcm16(converter.flush()));
          const started = performance.now();
          const final = await utterance.finish();
          return { text: final.text, audioMs: final.audioMs, finishMs: Math.round(performance.now() - started) };
        },
        abort: () => utterance.abort(),
      };
    },
  };
}
