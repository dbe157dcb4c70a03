/**
 * An error with a stable machine-readable `code` next to its human message: the shape every
 * module-level error of this codebase shares (viseme engine, media tools, portrait, remote
 * fetch, workers), so each declares only its code union and name.
 */
export class CodedError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
