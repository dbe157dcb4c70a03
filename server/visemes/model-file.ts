import "server-only";
import { fileURLToPath } from "node:url";
import { VISEME_MODEL_PATH } from "@/core/visemes/model-spec";

/** Absolute path of the shipped model inside public/ (the browser fetches the same file). */
export function visemeModelPath(): string {
  return fileURLToPath(new URL(`../../public${VISEME_MODEL_PATH}`, import.meta.url));
}

/** The model card next to the model. */
export function visemeCardPath(): string {
  return visemeModelPath().replace(/\.onnx$/, ".card.json");
}
