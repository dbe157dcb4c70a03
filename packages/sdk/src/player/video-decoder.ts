import type { VideoRecord } from "../../../../core/mux";
import { i420ToRgba } from "./pcm";

export type DecodeVideo = (rec: VideoRecord) => Promise<CanvasImageSource | ImageData>;

/** A video record and, once decoded, its picture. */
export interface VideoEntry {
  rec: VideoRecord;
  image?: CanvasImageSource | ImageData;
}

/** Decodes server frames one at a time, in pts order: a burst of frames must not delay the one due first. */
export class VideoDecoder {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly decode: DecodeVideo = defaultDecodeVideo,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Queues `rec`; the returned entry gets its image when decoding finishes. */
  add(rec: VideoRecord): VideoEntry {
    const entry: VideoEntry = { rec };
    this.queue = this.queue.then(() =>
      this.decode(rec).then(
        (image) => void (entry.image = image),
        (error) => this.onError(error),
      ),
    );
    return entry;
  }
}

/** createImageBitmap for JPEG records, ImageData for uncompressed I420 ones. */
export async function defaultDecodeVideo(rec: VideoRecord): Promise<CanvasImageSource | ImageData> {
  if (rec.codec === "jpeg") return createImageBitmap(new Blob([rec.data as Uint8Array<ArrayBuffer>], { type: "image/jpeg" }));
  return new ImageData(i420ToRgba(rec.data, rec.width, rec.height) as Uint8ClampedArray<ArrayBuffer>, rec.width, rec.height);
}
