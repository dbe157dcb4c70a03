/** The avatar mux (`application/x-avatar-mux`): format constants, writer, incremental reader. */
export * from "./constants";
export { MuxError, MUX_ERROR_CODES, isMuxError, type MuxErrorCode } from "./errors";
export * from "./types";
export type { Bytes } from "./bytes";
export { encodePreamble, encodeRecord } from "./encode";
export { framePts, framesUntil, i420Bytes } from "./rules";
export { MuxReader, decodeMux } from "./reader";
export { readMux, type MuxSource } from "./read-stream";
export { MuxWriter, concatBytes, samplesToMicros, splitUtf8, type MuxHeaderInit, type WriterMark } from "./writer";
export { muxStream, type MuxChunk, type MuxStreamEnd, type MuxStreamHooks } from "./mux-stream";
