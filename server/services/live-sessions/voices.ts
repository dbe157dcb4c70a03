import "server-only";
import { AppError } from "@/server/errors";

// Seed 004's voice names (OpenAI's realtime voices) → our voices. With the embedded espeak-ng each
// name picks an English voice variant of a similar register (docs/realtime-sessions.md has the table);
// with TTS_PROVIDER=openai the name is the provider's own voice. Our own ids (`espeak:…`, `openai:…`)
// pass through unchanged.

export const SEED_VOICES = [
  "alloy", "arbor", "ash", "ballad", "breeze", "cedar", "coral", "cove", "echo", "ember",
  "juniper", "maple", "marin", "sage", "shimmer", "sol", "spruce", "vale", "verse",
] as const;
export type SeedVoice = (typeof SEED_VOICES)[number];

/** espeak-ng variant per seed voice: f* variants for the higher voices, m* for the lower ones. */
export const ESPEAK_VOICE_OF: Record<SeedVoice, string> = {
  alloy: "espeak:en-us+f2",
  arbor: "espeak:en-us+m3",
  ash: "espeak:en-us+m1",
  ballad: "espeak:en-gb+m2",
  breeze: "espeak:en-us+f4",
  cedar: "espeak:en-us+m4",
  coral: "espeak:en-us+f3",
  cove: "espeak:en-gb+m5",
  echo: "espeak:en-us+m2",
  ember: "espeak:en-us+f5",
  juniper: "espeak:en-gb+f3",
  maple: "espeak:en-gb+f2",
  marin: "espeak:en-us+f1",
  sage: "espeak:en-gb+f4",
  shimmer: "espeak:en-us+f3",
  sol: "espeak:en-us+m6",
  spruce: "espeak:en-gb+m3",
  vale: "espeak:en-gb+f1",
  verse: "espeak:en-us+m7",
};

const OWN_VOICE = /^(espeak|openai):[A-Za-z0-9_+-]{1,80}$/;

/** Our voice id for a requested voice (a seed 004 name or one of ours) under the configured TTS provider; null keeps the avatar's. */
export function resolveSessionVoice(voice: string | null | undefined, provider: "espeak" | "openai"): string | null {
  if (voice === null || voice === undefined) return null;
  if ((SEED_VOICES as readonly string[]).includes(voice)) {
    return provider === "openai" ? `openai:${voice}` : ESPEAK_VOICE_OF[voice as SeedVoice];
  }
  const own = OWN_VOICE.exec(voice);
  if (!own) {
    throw new AppError("invalid_input", `"${voice.slice(0, 64)}" is neither a seed voice name (${SEED_VOICES.join(", ")}) nor a voice id such as espeak:en-us+f3.`, { field: "voice" });
  }
  if (own[1] !== provider) {
    throw new AppError("invalid_input", `"${voice.slice(0, 64)}" is a ${own[1]} voice but this server speaks with ${provider}; use a ${provider}: voice id or a seed voice name.`, { field: "voice" });
  }
  return voice;
}
