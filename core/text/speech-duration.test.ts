import { describe, expect, it } from "vitest";
import { estimateSpeechSeconds } from "./speech-duration";

// Reference durations: espeak-ng 1.51 at 175 wpm (speed 1), measured as the length of its PCM output
// (`espeak-ng -v <voice> -s 175 --stdout <text>`). The estimate must never fall below what the TTS
// takes, and should not reserve wildly more (twice at most).
const MEASURED: { text: string; language: string; seconds: number }[] = [
  { text: "Hello there. Welcome aboard the station.", language: "en", seconds: 2.72 },
  { text: "The quick brown fox jumps over the lazy dog, and then it runs away into the forest.", language: "en", seconds: 4.79 },
  { text: "The total is 1234567 dollars and 89 cents.", language: "en", seconds: 6.57 },
  { text: "999999999999", language: "en", seconds: 7.09 },
  { text: "1234567890123456789012345", language: "en", seconds: 14.64 },
  { text: "99999999999999999999999999999999", language: "en", seconds: 19.71 },
  { text: "3.14159265358979", language: "en", seconds: 4.71 },
  { text: "On 2024-03-15 at 10:45, order #88231 cost $1,234.56.", language: "en", seconds: 11.01 },
  { text: "NASA FBI", language: "en", seconds: 1.15 },
  { text: "https://example.com/a/b/c", language: "en", seconds: 4.6 },
  { text: "😀😀😀", language: "en", seconds: 1.24 },
  { text: "€€€", language: "en", seconds: 1.38 },
  { text: "Die Summe beträgt 1234567 Euro und 89 Cent.", language: "de", seconds: 7.38 },
  { text: "Привет, добро пожаловать на космическую станцию.", language: "ru", seconds: 3.14 },
  { text: "ยินดีต้อนรับสู่สถานีอวกาศ", language: "th", seconds: 2.82 },
  { text: "你好，欢迎来到空间站。今天我们将参观所有的实验室。", language: "zh", seconds: 9.34 },
  { text: "你好，欢迎来到空间站。今天我们将参观所有的实验室，然后一起在餐厅吃午饭。", language: "zh", seconds: 13.12 },
  { text: "这个价格是1234567元", language: "cmn", seconds: 5.68 },
  { text: "你好，欢迎来到空间站。", language: "en", seconds: 6.64 },
  { text: "こんにちは、宇宙ステーションへようこそ。", language: "ja", seconds: 5.36 },
  { text: "안녕하세요, 우주 정거장에 오신 것을 환영합니다.", language: "ko", seconds: 4.26 },
];

describe("estimateSpeechSeconds", () => {
  for (const m of MEASURED) {
    it(`covers what espeak-ng takes for ${JSON.stringify(m.text)} (${m.language}, ${m.seconds} s) without doubling it`, () => {
      const estimate = estimateSpeechSeconds(m.text, { language: m.language });
      expect(estimate).toBeGreaterThanOrEqual(m.seconds * 0.95);
      expect(estimate).toBeLessThanOrEqual(Math.max(m.seconds * 2, m.seconds + 1.5));
    });
  }

  it("reads ideographs as syllables only for Chinese voices", () => {
    const text = "今天我们将参观所有的实验室";
    expect(estimateSpeechSeconds(text, { language: "zh-CN" })).toBeLessThan(estimateSpeechSeconds(text, { language: "ja" }));
    expect(estimateSpeechSeconds(text, { language: "yue" })).toBe(estimateSpeechSeconds(text, { language: "zh" }));
  });

  it("scales with the speaking rate and ignores whitespace", () => {
    const text = "A sentence of moderate length, spoken twice as fast.";
    expect(estimateSpeechSeconds(text, { rate: 2 })).toBeCloseTo(estimateSpeechSeconds(text) / 2, 10);
    expect(estimateSpeechSeconds(`  ${text}\n\n`)).toBeCloseTo(estimateSpeechSeconds(text), 10);
    expect(estimateSpeechSeconds("")).toBe(0);
  });
});
