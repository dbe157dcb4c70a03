import "server-only";
import { AppError } from "@/server/errors";
import { assertLanguageTag } from "./validate";

// espeak-ng voice ids and the BCP-47 → espeak-ng language mapping. The catalog comes from the
// installed espeak-ng (`--voices`), so the list is always what this machine can actually speak.

/** Voice id format: `espeak:<espeak language>[+<variant>]`, e.g. `espeak:en-us`, `espeak:en-us+f3`, `espeak:de+m2`. */
export const ESPEAK_VOICE_ID = /^espeak:([A-Za-z0-9-]{2,40})(?:\+([A-Za-z0-9_-]{1,40}))?$/;

export type EspeakCatalog = {
  /** lower-cased language code → espeak's own spelling, with its display name. */
  languages: Map<string, { code: string; name: string }>;
  /** lower-cased variant file name → its spelling (f1..f5, m1..m8, klatt, whisper …). */
  variants: Map<string, string>;
};

// Where a BCP-47 tag and espeak-ng's names differ, or where a bare language has no espeak voice of
// its own. A bare "en" has no espeak voice; American English is the most widely understood choice.
const ALIASES: Record<string, string> = {
  en: "en-us",
  "en-au": "en-gb",
  "en-nz": "en-gb",
  "en-ie": "en-gb",
  "en-za": "en-gb",
  "en-in": "en-gb",
  "en-ca": "en-us",
  fr: "fr-fr",
  "fr-ca": "fr-fr",
  "pt-pt": "pt",
  "es-mx": "es-419",
  "es-us": "es-419",
  "es-ar": "es-419",
  "es-co": "es-419",
  zh: "cmn",
  "zh-cn": "cmn",
  "zh-hans": "cmn",
  "zh-sg": "cmn",
  "zh-tw": "cmn",
  "zh-hant": "cmn",
  "zh-hk": "yue",
  no: "nb",
  nn: "nb",
};

/** Parses `espeak-ng --voices` (or `--voices=variant`) output: one row per voice after the header. */
export function parseVoiceTable(stdout: string): { language: string; name: string; file: string; rest: string[] }[] {
  const rows: { language: string; name: string; file: string; rest: string[] }[] = [];
  for (const line of stdout.split("\n").slice(1)) {
    // "Pty Language Age/Gender VoiceName File Other"; names may contain spaces, so the file is the
    // first token after the name that looks like a path (it contains "/"). A voice at the top of
    // espeak-ng's folder has a bare file name (Korean: "ko"): then the row is exactly five cells.
    const cells = line.trim().split(/\s+/);
    if (cells.length < 5) continue;
    let fileIndex = cells.findIndex((c, i) => i >= 4 && c.includes("/"));
    if (fileIndex < 0 && cells.length === 5) fileIndex = 4;
    if (fileIndex < 0) continue;
    rows.push({ language: cells[1]!, name: cells.slice(3, fileIndex).join(" "), file: cells[fileIndex]!, rest: cells.slice(fileIndex + 1) });
  }
  return rows;
}

/** Builds the catalog from the two listings. */
export function buildCatalog(voicesStdout: string, variantsStdout: string): EspeakCatalog {
  const languages = new Map<string, { code: string; name: string }>();
  for (const row of parseVoiceTable(voicesStdout)) {
    if (!languages.has(row.language.toLowerCase())) languages.set(row.language.toLowerCase(), { code: row.language, name: row.name.replace(/_/g, " ") });
  }
  const variants = new Map<string, string>();
  for (const row of parseVoiceTable(variantsStdout)) {
    const file = row.file.split("/").pop() ?? "";
    // A file name with a space ("Mr serious") cannot be told apart from the next column: skip it.
    if (row.rest.length === 0 && /^[A-Za-z0-9_-]+$/.test(file)) variants.set(file.toLowerCase(), file);
  }
  return { languages, variants };
}

/** The espeak-ng `-v` argument for a request: from `voiceId` when given, else from `language` (default en). */
export function resolveEspeakVoice(catalog: EspeakCatalog, request: { language?: string; voiceId?: string }): string {
  if (request.voiceId !== undefined) return resolveVoiceId(catalog, request.voiceId);
  return resolveLanguage(catalog, request.language ?? "en");
}

function resolveVoiceId(catalog: EspeakCatalog, voiceId: string): string {
  const match = ESPEAK_VOICE_ID.exec(voiceId);
  if (!match) {
    throw new AppError(
      "invalid_input",
      `voice_id: "${voiceId.slice(0, 60)}" is not a voice of the embedded TTS (espeak-ng). Use espeak:<language>[+<variant>], e.g. espeak:en-us or espeak:en-us+f3.`,
      { field: "voice_id" },
    );
  }
  const language = catalog.languages.get(match[1]!.toLowerCase());
  if (!language) {
    throw new AppError("invalid_input", `voice_id: espeak-ng has no voice "${match[1]}"; the voice list names the installed ones (e.g. en-us, en-gb, de, fr-fr).`, { field: "voice_id" });
  }
  if (match[2] === undefined) return language.code;
  const variant = catalog.variants.get(match[2].toLowerCase());
  if (!variant) {
    throw new AppError("invalid_input", `voice_id: espeak-ng has no variant "${match[2]}"; try f1..f5 (female), m1..m7 (male), whisper or klatt.`, { field: "voice_id" });
  }
  return `${language.code}+${variant}`;
}

function resolveLanguage(catalog: EspeakCatalog, tag: string): string {
  assertLanguageTag(tag);
  const lower = tag.toLowerCase();
  const parts = lower.split("-");
  // Most specific first: "fr-fr", then the alias of "fr-ca", then the bare language "de-at" → "de".
  const candidates = [lower, ALIASES[lower], parts[0], ALIASES[parts[0]!]];
  for (const candidate of candidates) {
    const hit = candidate && catalog.languages.get(candidate);
    if (hit) return hit.code;
  }
  throw new AppError(
    "invalid_input",
    `language: "${tag}" is not supported by the embedded TTS (espeak-ng on this server knows ${catalog.languages.size} languages, e.g. en, en-GB, de, fr-FR, es, it, pt-BR, ja, zh). Use one of those or configure another TTS provider.`,
    { field: "language" },
  );
}
