import "server-only";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Config, Human } from "@vladmandic/human";

/** One detected face: its detector box and the 468 mesh landmarks, in source pixels. */
export type DetectedFace = {
  box: { x: number; y: number; width: number; height: number };
  score: number;
  landmarks: [number, number][];
};

type Tf = typeof import("@tensorflow/tfjs-core");

// Human's node-wasm build and tfjs are CommonJS: load them through one require so the model
// loader we register below lands on the same tfjs instance Human uses.
const require = createRequire(import.meta.url);
const MODEL_SCHEME = "tic-models://";

let ready: Promise<{ human: Human; tf: Tf }> | undefined;

/** Where the face models live: inside the @vladmandic/human package, never fetched from a hub. */
export function modelDirectory(): string {
  return join(dirname(require.resolve("@vladmandic/human")), "..", "models");
}

function registerModelLoader(tf: Tf, dir: string): void {
  // tfjs-core in Node can only fetch over HTTP; this loader reads the packaged model files instead.
  tf.io.registerLoadRouter(((url: string | string[]) => {
    if (typeof url !== "string" || !url.startsWith(MODEL_SCHEME)) return null;
    const file = join(dir, url.slice(MODEL_SCHEME.length).replace(/^\/+/, ""));
    return {
      load: async () => {
        const json = JSON.parse(await readFile(file, "utf8")) as {
          modelTopology: object;
          format?: string;
          generatedBy?: string;
          convertedBy?: string;
          weightsManifest: { paths: string[]; weights: import("@tensorflow/tfjs-core").io.WeightsManifestEntry[] }[];
        };
        const parts = await Promise.all(json.weightsManifest.flatMap((g) => g.paths.map((p) => readFile(join(dirname(file), p)))));
        const all = Buffer.concat(parts);
        return {
          modelTopology: json.modelTopology,
          format: json.format,
          generatedBy: json.generatedBy,
          convertedBy: json.convertedBy ?? undefined,
          weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
          weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        };
      },
    };
  }) as unknown as Parameters<Tf["io"]["registerLoadRouter"]>[0]);
}

async function load(): Promise<{ human: Human; tf: Tf }> {
  const tf = require("@tensorflow/tfjs-core") as Tf;
  const wasm = require("@tensorflow/tfjs-backend-wasm") as { setWasmPaths: (p: string) => void };
  const wasmDir = `${dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"))}/`;
  wasm.setWasmPaths(wasmDir);
  registerModelLoader(tf, modelDirectory());
  const { Human: HumanClass } = require(join(dirname(require.resolve("@vladmandic/human")), "human.node-wasm.js")) as {
    Human: new (config: Partial<Config>) => Human;
  };
  const off = { enabled: false };
  const human = new HumanClass({
    backend: "wasm",
    wasmPath: wasmDir,
    modelBasePath: MODEL_SCHEME,
    debug: false,
    cacheModels: false,
    face: {
      enabled: true,
      // Rotation-corrected: without it the mesh model is fitted to an upright crop, so a face
      // tilted 35-60 degrees got landmarks a few degrees off upright, away from its lips and eyes.
      // Upright portraits got identical landmarks either way in our tests, at the same cost.
      detector: { rotation: true, maxDetected: 8, minConfidence: 0.4, iouThreshold: 0.2, return: false, skipFrames: 0 },
      mesh: { enabled: true },
      iris: off,
      description: off,
      emotion: off,
      antispoof: off,
      liveness: off,
      attention: off,
    },
    body: off,
    hand: off,
    object: off,
    gesture: off,
    segmentation: off,
    filter: { enabled: false },
  } as unknown as Partial<Config>);
  await human.load();
  return { human, tf };
}

/** Loads the face models once per process (~0.3 s); later calls reuse them. */
export function faceLandmarker(): Promise<{ human: Human; tf: Tf }> {
  ready ??= load().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return ready;
}

/** Detects every face in an RGB image (row-major, 3 bytes a pixel) with its 468 landmarks. */
export async function detectFaces(rgb: Uint8Array, width: number, height: number): Promise<DetectedFace[]> {
  const { human, tf } = await faceLandmarker();
  const input = tf.tensor4d(Int32Array.from(rgb), [1, height, width, 3], "int32");
  try {
    const result = await human.detect(input as never);
    return result.face
      .filter((f) => f.mesh.length >= 468)
      .map((f) => ({
        box: { x: f.box[0], y: f.box[1], width: f.box[2], height: f.box[3] },
        score: f.score,
        // meshRaw is the mesh over the input size: whole pixels of the detection image, so
        // contours hold repeated and collinear points (eyes are ~6 px tall) that the rig copes with.
        landmarks: f.meshRaw.map((p) => [p[0]! * width, p[1]! * height] as [number, number]),
      }));
  } finally {
    input.dispose();
  }
}
