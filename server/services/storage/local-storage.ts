import "server-only";
import { createReadStream } from "node:fs";
import { copyFile, mkdir, rename, rm, stat, unlink } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { assertSafeKey, type ObjectStorage } from "./storage";

/** Files under one root folder (default `data/storage`, git-ignored). */
export class LocalStorage implements ObjectStorage {
  readonly kind = "local" as const;
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    assertSafeKey(key);
    return join(this.root, key);
  }

  async putFile(key: string, filePath: string): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(filePath, target);
    } catch (error) {
      // The temp folder may be on another filesystem (EXDEV): copy, then remove the original.
      if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
      await copyFile(filePath, target);
      await unlink(filePath);
    }
  }

  async get(key: string, range?: { start: number; end: number }) {
    const path = this.path(key);
    try {
      await stat(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    return createReadStream(path, range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
