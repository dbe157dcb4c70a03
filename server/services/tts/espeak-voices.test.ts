import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { espeakProsody } from "./espeak-params";
import { buildCatalog, resolveEspeakVoice } from "./espeak-voices";

// Listings in espeak-ng 1.51's format (a few rows of `--voices` and `--voices=variant`).
const VOICES = `Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  de              --/M      German             gmw/de
 5  en-gb           --/M      English_(Great_Britain) gmw/en            (en 2)
 5  en-us           --/M      English_(America)  gmw/en-US            (en 3)
 5  es-419          --/M      Spanish_(Latin_America) roa/es-419
 5  fr-fr           --/M      French_(France)    roa/fr               (fr 5)
 5  pt              --/M      Portuguese_(Portugal) roa/pt             (pt-pt 5)
 5  pt-br           --/M      Portuguese_(Brazil) roa/pt-BR
 5  cmn             --/M      Chinese_(Mandarin,_latin_as_English) sit/cmn              (zh-cmn 5)(zh 5)
 5  ko              --/M      Korean             ko
`;
const VARIANTS = `Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  variant         --/F      f3                 !v/f3
 5  variant         --/M      m1                 !v/m1
 5  variant         --/M      Mr serious         !v/Mr serious
`;
const catalog = buildCatalog(VOICES, VARIANTS);

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError && e.code === "invalid_input") return e.details.field;
    throw e;
  }
  return undefined;
}

describe("espeak voice resolution", () => {
  it.each([
    [undefined, "en-us"],
    ["en", "en-us"],
    ["EN-us", "en-us"],
    ["en-AU", "en-gb"],
    ["de-CH", "de"],
    ["fr", "fr-fr"],
    ["pt", "pt"],
    ["pt-BR", "pt-br"],
    ["es-MX", "es-419"],
    ["zh-Hant", "cmn"],
    // A voice with a bare file name in the listing (no "/").
    ["ko", "ko"],
  ])("language %s → %s", (language, voice) => {
    expect(resolveEspeakVoice(catalog, { language })).toBe(voice);
  });

  it("takes a voice id over the language", () => {
    expect(resolveEspeakVoice(catalog, { language: "en", voiceId: "espeak:de+M1" })).toBe("de+m1");
    expect(resolveEspeakVoice(catalog, { voiceId: "espeak:EN-US+f3" })).toBe("en-us+f3");
  });

  it("skips variant names it cannot pass on safely", () => {
    expect([...catalog.variants.values()]).toEqual(["f3", "m1"]);
  });

  it("names the offending field", () => {
    expect(fieldOf(() => resolveEspeakVoice(catalog, { language: "xx" }))).toBe("language");
    expect(fieldOf(() => resolveEspeakVoice(catalog, { language: "-v" }))).toBe("language");
    expect(fieldOf(() => resolveEspeakVoice(catalog, { voiceId: "espeak:en-us+-p99" }))).toBe("voice_id");
    expect(fieldOf(() => resolveEspeakVoice(catalog, { voiceId: "espeak:it" }))).toBe("voice_id");
  });
});

describe("espeak prosody", () => {
  it("maps speed to words per minute within espeak-ng's range", () => {
    expect(espeakProsody(1).wpm).toBe(175);
    expect(espeakProsody(2).wpm).toBe(350);
    expect(espeakProsody(0.25).wpm).toBe(80);
    expect(espeakProsody(4).wpm).toBe(450);
  });

  it("maps known emotions and treats others as neutral", () => {
    expect(espeakProsody(1, "Happy")).toMatchObject({ pitch: 66, emotion: "happy" });
    expect(espeakProsody(1, "sad").pitch).toBeLessThan(50);
    expect(espeakProsody(1, "melancholic-ish")).toEqual({ wpm: 175, pitch: 50, amplitude: 100, emotion: "neutral" });
    expect(espeakProsody(1, "constructor").emotion).toBe("neutral");
  });
});
