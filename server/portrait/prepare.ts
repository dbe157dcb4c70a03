import "server-only";
import { createHash } from "node:crypto";
import sharp from "sharp";
import type { Rig } from "@/core/render/rig";
import { buildRig } from "./build-rig";
import { PortraitError } from "./errors";
import { detectFaces, faceLandmarker, type DetectedFace } from "./face-landmarks";

export type PrepareWarning = { code: "multiple_faces"; message: string };

/** Milliseconds per step, reported as the prepare response's `timings`. */
export type PrepareTimings = { decodeMs: number; modelLoadMs: number; detectMs: number; rigMs: number; totalMs: number };

export type PrepareResult = { rig: Rig; warnings: PrepareWarning[]; timings: PrepareTimings };

// Detection runs on a bounded copy: the landmark model works at 256 px anyway, and decoding a
// 24-megapixel upload at full size would dominate the time.
const DETECT_MAX_SIDE = 1024;

const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;

/** Turns a portrait (PNG/JPEG/WebP bytes) into its rig; throws PortraitError for images that cannot be animated (see check-face.ts). */
export async function preparePortrait(image: Uint8Array): Promise<PrepareResult> {
  const start = performance.now();
  let t0 = start;
  let decoded: { data: Buffer; info: { width: number; height: number } };
  let width: number;
  let height: number;
  try {
    const meta = await sharp(image).rotate().toBuffer({ resolveWithObject: true });
    width = meta.info.width;
    height = meta.info.height;
    const scale = Math.min(1, DETECT_MAX_SIDE / Math.max(width, height));
    decoded = await sharp(meta.data)
      .resize(Math.round(width * scale), Math.round(height * scale), { fit: "fill" })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (cause) {
    throw new PortraitError("image_unreadable", "The image could not be decoded. Upload a PNG, JPEG or WebP file.", { cause });
  }
  const decodeMs = ms(t0);
  t0 = performance.now();
  await faceLandmarker();
  const modelLoadMs = ms(t0);
  t0 = performance.now();
  const k = width / decoded.info.width;
  const faces = (await detectFaces(new Uint8Array(decoded.data), decoded.info.width, decoded.info.height)).map((f) => scaleFace(f, k));
  const detectMs = ms(t0);
  t0 = performance.now();
  const warnings: PrepareWarning[] = [];
  const face = pickFace(faces, warnings);
  const seed = createHash("sha256").update(image).digest().readUInt32LE(0);
  const rig = buildRig(face, { width, height }, seed, { rgb: new Uint8Array(decoded.data), width: decoded.info.width, height: decoded.info.height, scale: k });
  const rigMs = ms(t0);
  return { rig, warnings, timings: { decodeMs, modelLoadMs, detectMs, rigMs, totalMs: ms(start) } };
}

function scaleFace(f: DetectedFace, k: number): DetectedFace {
  return {
    score: f.score,
    box: { x: f.box.x * k, y: f.box.y * k, width: f.box.width * k, height: f.box.height * k },
    landmarks: f.landmarks.map(([x, y]) => [x * k, y * k]),
  };
}

function pickFace(faces: DetectedFace[], warnings: PrepareWarning[]): DetectedFace {
  if (faces.length === 0) {
    throw new PortraitError("face_not_found", "No face was found. Use a photo where one face looks toward the camera, well lit and unobstructed.");
  }
  const sorted = [...faces].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
  const face = sorted[0]!;
  if (sorted.length > 1) {
    const cx = Math.round(face.box.x + face.box.width / 2);
    const cy = Math.round(face.box.y + face.box.height / 2);
    warnings.push({
      code: "multiple_faces",
      message: `Found ${sorted.length} faces; animating the largest one (centred at ${cx},${cy} px). Crop the photo to one person to choose another.`,
    });
  }
  return face;
}
