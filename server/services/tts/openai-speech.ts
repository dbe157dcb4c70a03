import "server-only";
import { AppError } from "@/server/errors";
import { openAiPost, type OpenAiEndpoint } from "@/server/services/llm/openai-http";
import { concatBytes, parseWavHeader, Pcm16Assembler } from "./pcm";
import type { TtsChunk, TtsProvider, TtsRequest, TtsVoice } from "./types";
import { throwIfAborted, validateTtsRequest } from "./validate";

// An OpenAI-compatible POST {base}/audio/speech with response_format "pcm": raw 24 kHz PCM16
// little-endian mono, as OpenAI documents, streamed as it is generated. Servers that answer a
// WAV anyway are handled by reading its header. One request per call: the server streams, so
// splitting into sentences would only add round trips.

/** OpenAI's documented rate for response_format "pcm". */
export const OPENAI_PCM_SAMPLE_RATE = 24_000;

export type OpenAiSpeechConfig = {
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Voice used when a request names none (TTS_OPENAI_VOICE). */
  voice: string;
  timeoutMs: number;
  /** Send the emotion as `instructions` (gpt-4o-mini-tts); other models reject the field. */
  sendInstructions: boolean;
};

const VOICE_ID = /^openai:([A-Za-z0-9_.-]{1,64})$/;

function voiceFor(config: OpenAiSpeechConfig, voiceId: string | undefined): string {
  if (voiceId === undefined) return config.voice;
  const match = VOICE_ID.exec(voiceId);
  if (!match) {
    throw new AppError("invalid_input", `voice_id: "${voiceId.slice(0, 60)}" is not a voice of the configured TTS (OpenAI-compatible); use openai:<voice>, e.g. openai:${config.voice}.`, {
      field: "voice_id",
    });
  }
  return match[1]!;
}

/** The OpenAI-compatible speech provider. */
export function createOpenAiSpeechProvider(config: OpenAiSpeechConfig): TtsProvider {
  const endpoint: OpenAiEndpoint = {
    label: "The TTS provider",
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    timeoutMs: config.timeoutMs,
    vars: { baseUrl: "TTS_OPENAI_BASE_URL", apiKey: "TTS_OPENAI_API_KEY", model: "TTS_OPENAI_MODEL", timeout: "TTS_TIMEOUT_MS" },
  };

  async function* synthesize(request: TtsRequest): AsyncGenerator<TtsChunk> {
    const text = validateTtsRequest(request);
    const voice = voiceFor(config, request.voiceId);
    throwIfAborted(request.signal);
    const emotion = request.emotion?.trim();
    const payload = {
      model: config.model,
      input: text,
      voice,
      response_format: "pcm",
      // The language is not sent: OpenAI's speech endpoint has no such field and reads it from the text.
      ...(request.speed !== undefined && request.speed !== 1 ? { speed: request.speed } : {}),
      ...(config.sendInstructions && emotion ? { instructions: `Speak in a ${emotion.slice(0, 40)} tone.` } : {}),
    };
    const response = await openAiPost(endpoint, "/audio/speech", payload, request.signal);
    if (response.contentType.includes("json")) {
      await response.body.return();
      throw new AppError("upstream_failed", "The TTS provider answered JSON instead of audio; check TTS_OPENAI_BASE_URL and TTS_OPENAI_MODEL.", { retryable: false });
    }

    const samples = new Pcm16Assembler();
    let head: Uint8Array | null = new Uint8Array(0);
    let sampleRate = OPENAI_PCM_SAMPLE_RATE;
    let first = true;
    for await (const piece of response.body) {
      let bytes = piece;
      if (head) {
        // Only a stream that starts with "RIFF" is a WAV; raw PCM starts with any bytes.
        head = concatBytes(head, piece);
        if (head.length < 4) continue;
        if (String.fromCharCode(head[0]!, head[1]!, head[2]!, head[3]!) === "RIFF") {
          const format = parseWavHeader(head);
          if (!format) continue;
          if (format.channels !== 1 || format.bitsPerSample !== 16) {
            throw new AppError("upstream_failed", `The TTS provider sent ${format.channels}-channel ${format.bitsPerSample}-bit WAV; expected mono PCM16 (response_format "pcm").`);
          }
          sampleRate = format.sampleRate;
          bytes = head.subarray(format.dataOffset);
        } else {
          bytes = head;
        }
        head = null;
      }
      const pcm = samples.push(bytes);
      if (pcm.length === 0) continue;
      yield first ? { pcm, sampleRate, text } : { pcm, sampleRate };
      first = false;
    }
    if (first) throw new AppError("upstream_failed", "The TTS provider answered without any audio.", { retryable: true });
  }

  async function voices(): Promise<TtsVoice[]> {
    // OpenAI-compatible servers have no standard voice listing; the configured voice is the one we know works.
    return [{ id: `openai:${config.voice}`, name: config.voice }];
  }

  return { id: "openai", synthesize, voices };
}
