import "server-only";
import { createReadStream } from "node:fs";
import { stat, unlink } from "node:fs/promises";
import { Readable } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";
import { assertSafeKey, type ObjectStorage } from "./storage";

export type S3Config = {
  bucket: string;
  region: string;
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
  prefix: string;
};

/** Any S3-compatible store (AWS, R2, MinIO ...); the SDK is loaded only when this storage is used. */
export class S3Storage implements ObjectStorage {
  readonly kind = "s3" as const;
  private client?: Promise<{ client: S3Client; sdk: typeof import("@aws-sdk/client-s3") }>;
  constructor(private readonly config: S3Config) {}

  private sdk() {
    this.client ??= import("@aws-sdk/client-s3").then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        region: this.config.region,
        endpoint: this.config.endpoint,
        forcePathStyle: this.config.forcePathStyle,
        // Checksums only where S3 requires them: the newer default (aws-chunked bodies with trailing
        // checksums) is not understood by every S3-compatible store.
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
        credentials:
          this.config.accessKeyId && this.config.secretAccessKey
            ? { accessKeyId: this.config.accessKeyId, secretAccessKey: this.config.secretAccessKey }
            : undefined,
      }),
    }));
    return this.client;
  }

  private objectKey(key: string) {
    assertSafeKey(key);
    return `${this.config.prefix}${key}`;
  }

  async putFile(key: string, filePath: string, contentType: string): Promise<void> {
    const { client, sdk } = await this.sdk();
    const { size } = await stat(filePath);
    await client.send(
      new sdk.PutObjectCommand({
        Bucket: this.config.bucket,
        Key: this.objectKey(key),
        Body: createReadStream(filePath),
        ContentLength: size,
        ContentType: contentType,
      }),
    );
    await unlink(filePath);
  }

  async get(key: string, range?: { start: number; end: number }) {
    const { client, sdk } = await this.sdk();
    try {
      const out = await client.send(
        new sdk.GetObjectCommand({
          Bucket: this.config.bucket,
          Key: this.objectKey(key),
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      return out.Body instanceof Readable ? out.Body : null;
    } catch (error) {
      if ((error as { name?: string }).name === "NoSuchKey") return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const { client, sdk } = await this.sdk();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }));
  }
}
