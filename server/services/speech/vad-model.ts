import "server-only";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as ort from "onnxruntime-node";
import { openSileroVad, type VadModel, type VadOrtLike } from "@/core/audio/silero-vad";
import { AppError } from "@/server/errors";
import { processState } from "@/server/process-state";

// The Silero VAD model comes from @ricky0123/vad-web (the package the browser VAD uses, so both ends
// run the same weights). v5 rather than v6: on espeak-ng speech v5 passes the threshold one frame (32 ms)
// earlier at the onset; both reject noise bursts alike.
// Resolved from the working directory, not import.meta.url: the Next.js bundle moves this file.

const MODEL_FILE = "silero_vad_v5.onnx";

/** Absolute path of the shipped Silero v5 model. */
export function vadModelPath(): string {
  try {
    const manifest = createRequire(join(process.cwd(), "package.json")).resolve("@ricky0123/vad-web/package.json");
    return join(dirname(manifest), "dist", MODEL_FILE);
  } catch (cause) {
    throw new AppError("unavailable", "The turn detector needs the Silero VAD model from @ricky0123/vad-web, which is not installed: run `npm install`.", { retryable: false, cause });
  }
}

const models = processState("vadModel", () => new Map<string, Promise<VadModel>>(), (m) => m.clear());

/** The process-wide Silero model (one onnxruntime session shared by every stream); a failed load is retried next call. */
export function vadModel(path = vadModelPath()): Promise<VadModel> {
  let model = models.get(path);
  if (!model) {
    model = openSileroVad(ort as unknown as VadOrtLike, path).catch((cause: unknown) => {
      models.delete(path);
      throw new AppError("unavailable", `The turn detector could not load its VAD model: ${(cause as Error).message}`, { retryable: false, cause });
    });
    models.set(path, model);
  }
  return model;
}
