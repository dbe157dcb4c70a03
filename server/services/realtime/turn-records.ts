import "server-only";
import type { Logger } from "pino";
import { visemeMouthSource } from "@/core/turn/mouth-source";
import { turnRecords as records, type TurnChunk, type TurnPlan as RecordsPlan, type TurnStop } from "@/core/turn/turn-records";
import type { VisemeModelRunner } from "@/core/visemes/runner";
import { AppError } from "@/server/errors";

// A turn's records on the server (core/turn/turn-records.ts): the mouth track from this process's
// viseme model, and failures after the stream began said in the service error's terms.

export type { TurnChunk };
export type TurnPlan = Omit<RecordsPlan, "mouth" | "errorRecord"> & { runner: VisemeModelRunner; log?: Logger };

/** The records of a turn run on the server. */
export function turnRecords(plan: TurnPlan): AsyncGenerator<TurnChunk> {
  const { runner, log, ...rest } = plan;
  return records({
    ...rest,
    mouth: (sampleRate) => visemeMouthSource(runner, sampleRate),
    errorRecord: (error) => {
      if (!(error instanceof AppError)) log?.error({ err: error }, "turn failed after streaming began");
      return turnErrorRecord(error);
    },
  });
}

/** The one mapping of a failure after a turn's stream began to its `error` record: AppError's code, else internal_error. */
export function turnErrorRecord(error: unknown): TurnStop {
  if (error instanceof AppError) return { code: error.code, message: error.message, retryable: error.retryable };
  return { code: "internal_error", message: "The turn failed on the server; it has been logged.", retryable: true };
}
