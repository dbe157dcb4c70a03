// Seed 001's 17 languages through POST /api/v1/videos: each is spoken by the embedded espeak-ng
// (checked against `espeak-ng --voices`), and the rendered video's mouth moves while it speaks.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Rig } from "@/core/render/rig";
import type { NextRouteHandler } from "@/server/http/api-route";
import { callRoute } from "@/server/http/testing/test-api";
import { useTestWorld } from "@/server/testing/test-world";
import { seedCaller } from "../realtime/testing/turn-fixture";
import { VIDEO_SIZE } from "./render-video";
import { VIDEO_LANGUAGES } from "./schemas";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

// A short greeting in each language (scripts espeak-ng reads: Japanese in kana).
const GREETINGS: Record<(typeof VIDEO_LANGUAGES)[number], string> = {
  en: "Hello, how are you today?",
  es: "Hola, ¿cómo estás hoy?",
  fr: "Bonjour, comment allez-vous?",
  de: "Hallo, wie geht es dir heute?",
  it: "Ciao, come stai oggi?",
  pt: "Olá, como você está hoje?",
  pl: "Cześć, jak się masz dzisiaj?",
  tr: "Merhaba, bugün nasılsın?",
  ru: "Привет, как дела сегодня?",
  nl: "Hallo, hoe gaat het vandaag?",
  cs: "Ahoj, jak se dnes máš?",
  ar: "مرحبا، كيف حالك اليوم؟",
  zh: "你好，你今天好吗？",
  ja: "こんにちは、おげんきですか",
  hu: "Szia, hogy vagy ma?",
  ko: "안녕하세요, 오늘 어떠세요?",
  hi: "नमस्ते, आज आप कैसे हैं?",
};

const world = useTestWorld("videos-languages", "pglite");
let create: NextRouteHandler;
let mp4: (req: Request, ctx: { params: Promise<{ videoId: string }> }) => Promise<Response>;
let key: string;
const rig = JSON.parse(readFileSync(join(process.cwd(), "public/demo/astronaut.rig.json"), "utf8")) as Rig;

beforeAll(async () => {
  create = (await import("@/app/api/v1/videos/route")).POST;
  mp4 = (await import("@/app/v/[videoId]/video.mp4/route")).GET;
  key = (await seedCaller(world.db, 200_000_000)).key;
});

type Box = [number, number, number, number];
/** The astronaut's lips at the output size (crop-normalised rig points), padded for the opened jaw. */
function mouthBox(): Box {
  const pts = [...rig.mouth.outer.upper, ...rig.mouth.outer.lower];
  const xs = pts.map((p) => p[0] * VIDEO_SIZE);
  const ys = pts.map((p) => p[1] * VIDEO_SIZE);
  const h = Math.max(...ys) - Math.min(...ys);
  return [Math.floor(Math.min(...xs)) - 4, Math.floor(Math.min(...ys)) - 4, Math.ceil(Math.max(...xs)) + 4, Math.ceil(Math.max(...ys) + h) + 4];
}

/** Mean absolute difference of two greyscale frames inside `box`. */
function boxDiff(a: Uint8Array, b: Uint8Array, [x0, y0, x1, y1]: Box): number {
  let sum = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += Math.abs(a[y * VIDEO_SIZE + x]! - b[y * VIDEO_SIZE + x]!);
  return sum / ((x1 - x0) * (y1 - y0));
}

describe("the 17 languages of seed 001", () => {
  it("each has an espeak-ng voice on this machine", () => {
    const installed = new Set(execFileSync("espeak-ng", ["--voices"], { encoding: "utf8" }).split("\n").slice(1).map((l) => l.trim().split(/\s+/)[1]?.toLowerCase()));
    // Our language → espeak-ng's (server/services/tts/espeak-voices.ts picks these for the bare tags).
    const espeak: Record<string, string> = { en: "en-us", fr: "fr-fr", zh: "cmn", es: "es" };
    for (const lang of VIDEO_LANGUAGES) expect(installed.has(espeak[lang] ?? lang), lang).toBe(true);
  });

  it("renders a short video in every language, and the mouth moves while it speaks", async () => {
    const box = mouthBox();
    const corner: Box = [0, 0, box[2] - box[0], box[3] - box[1]]; // the background, the same size
    for (const language of VIDEO_LANGUAGES) {
      const res = await callRoute(create, { method: "POST", path: "/api/v1/videos", key, body: { text: GREETINGS[language], avatar: "astronaut", language } });
      expect(res.status, `${language}: ${await res.clone().text()}`).toBe(201);
      const v = (await res.json()) as { id: string; video_duration_seconds: number };
      expect(v.video_duration_seconds, language).toBeGreaterThan(0.8);
      const file = Buffer.from(await (await mp4(new Request(`http://localhost/v/${v.id}/video.mp4`), { params: Promise.resolve({ videoId: v.id }) })).arrayBuffer());
      const grey = execFileSync("ffmpeg", ["-v", "error", "-i", "pipe:0", "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"], { input: file, maxBuffer: 256 * 1024 * 1024 });
      const n = grey.length / (VIDEO_SIZE * VIDEO_SIZE);
      const frames = Array.from({ length: n }, (_, i) => new Uint8Array(grey.buffer, grey.byteOffset + i * VIDEO_SIZE * VIDEO_SIZE, VIDEO_SIZE * VIDEO_SIZE));
      let mouth = 0;
      let background = 0;
      for (let i = 1; i < n; i++) {
        mouth = Math.max(mouth, boxDiff(frames[i]!, frames[0]!, box));
        background = Math.max(background, boxDiff(frames[i]!, frames[0]!, corner));
      }
      expect(mouth, `${language}: the mouth region changes during speech`).toBeGreaterThan(3);
      expect(mouth, `${language}: more than the background does`).toBeGreaterThan(3 * background);
    }
  });
});
