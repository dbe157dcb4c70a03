/** The avatar mux (`application/x-avatar-mux`): format constants, writer, incremental reader. */
export * from "./constants.js";
export { MuxError, MUX_ERROR_CODES, isMuxError, type MuxErrorCode } from "./errors.js";
export * from "./types.js";
export { encodePreamble, encodeRecord } from "./encode.js";
export { framePts, framesUntil, i420Bytes } from "./rules.js";
export { MuxReader, decodeMux } from "./reader.js";
export { readMux, type MuxSource } from "./read-stream.js";
export { MuxWriter, concatBytes, samplesToMicros, splitUtf8, type MuxHeaderInit } from "./writer.js";
