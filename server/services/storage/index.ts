import "server-only";
import { resolve } from "node:path";
import { getEnv, type Env } from "../../env";
import { processState } from "../../process-state";
import { LocalStorage } from "./local-storage";
import { S3Storage } from "./s3-storage";
import type { ObjectStorage } from "./storage";

export type { ObjectStorage } from "./storage";

/** The storage the environment selects: S3-compatible when S3_BUCKET is set, else STORAGE_DIR on disk. */
export function storageFromEnv(env: Env): ObjectStorage {
  if (env.S3_BUCKET) {
    return new S3Storage({
      bucket: env.S3_BUCKET,
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      prefix: env.S3_PREFIX,
    });
  }
  return new LocalStorage(resolve(process.cwd(), env.STORAGE_DIR));
}

const state = processState("storage", () => ({ current: undefined as ObjectStorage | undefined }), (s) => {
  s.current = undefined;
});

/** The process-wide storage. */
export function getStorage(): ObjectStorage {
  state.current ??= storageFromEnv(getEnv());
  return state.current;
}
