// The benchmark peers ship plain JavaScript; these are the few members we call.
declare module "@met4citizen/headaudio/modules/processor.mjs" {
  export class Processor {
    constructor(options: Record<string, unknown>, worklet?: { port: { onmessage: unknown; postMessage: (m: unknown) => void } });
    _onmessage(message: { data: Record<string, unknown> }): void;
    process(data: Float32Array): void;
  }
}
declare module "@met4citizen/headaudio/modules/training.mjs" {
  export class Training {
    constructor(options?: Record<string, unknown>);
    decodeBinaryRecord(record: Float32Array): Record<string, unknown>;
  }
}
declare module "@met4citizen/headaudio/modules/parameters.mjs" {
  export const RECORD_OFFSET: number;
  export const RECORD_LEN: number;
}
