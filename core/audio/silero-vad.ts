import { CodedError } from "../coded-error";

// Silero VAD v5/v6 (the ONNX files @ricky0123/vad-web ships): 512-sample frames at 16 kHz, each fed
// with the last 64 samples of the frame before it (as silero-vad's own OnnxWrapper does, so an onset
// straddling a boundary is seen whole), and a [2, 1, 128] recurrent state carried per stream. One
// onnxruntime session serves every stream of a process; the runtime module is passed in (node or web).

/** Samples per model frame at 16 kHz (32 ms). */
export const SILERO_FRAME = 512;
const CONTEXT = 64;
const STATE_SIZE = 2 * 128;

export class VadError extends CodedError<"vad_model_failed"> {
  override name = "VadError";
}

type TensorLike = { readonly data: unknown };
/** The slice of onnxruntime (node or web) the VAD uses. */
export type VadOrtLike = {
  Tensor: new (type: "float32" | "int64", data: Float32Array | BigInt64Array, dims: readonly number[]) => TensorLike;
  InferenceSession: { create(model: string, options: Record<string, unknown>): Promise<unknown> };
};
type VadSession = { readonly inputNames: readonly string[]; run(feeds: Record<string, TensorLike>): Promise<Record<string, TensorLike>> };

/** One stream's view of the model: speech probability of each consecutive 512-sample frame. */
export interface VadStream {
  /** Probability (0..1) that `frame` (exactly SILERO_FRAME samples at 16 kHz, floats) is speech. */
  score(frame: Float32Array): Promise<number>;
  /** Forgets the stream's history (a new, unrelated recording follows). */
  reset(): void;
}

export interface VadModel {
  stream(): VadStream;
}

/** Opens a Silero v5/v6 model file and returns the factory of per-stream scorers. */
export async function openSileroVad(ort: VadOrtLike, modelPath: string): Promise<VadModel> {
  let session: VadSession;
  try {
    session = (await ort.InferenceSession.create(modelPath, {
      // Sequential, one thread each: a frame is ~0.15 ms of work and a server runs many streams at once.
      interOpNumThreads: 1,
      intraOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
    })) as VadSession;
  } catch (cause) {
    throw new VadError("vad_model_failed", `cannot load the Silero VAD model ${modelPath}: ${String(cause)}`, { cause });
  }
  for (const name of ["input", "state", "sr"]) {
    if (!session.inputNames.includes(name)) throw new VadError("vad_model_failed", `${modelPath} is not a Silero v5/v6 model (no input "${name}")`);
  }
  const sr = new ort.Tensor("int64", BigInt64Array.from([16000n]), []);
  // A session is not re-entrant in onnxruntime-web; runs from all streams take turns.
  let queue: Promise<unknown> = Promise.resolve();

  return {
    stream() {
      let state: Float32Array = new Float32Array(STATE_SIZE);
      let context: Float32Array = new Float32Array(CONTEXT);
      const runFrame = async (frame: Float32Array): Promise<number> => {
        const input = new Float32Array(CONTEXT + SILERO_FRAME);
        input.set(context, 0);
        input.set(frame, CONTEXT);
        context = frame.slice(SILERO_FRAME - CONTEXT);
        let out: Record<string, TensorLike>;
        try {
          out = await session.run({
            input: new ort.Tensor("float32", input, [1, input.length]),
            state: new ort.Tensor("float32", state, [2, 1, 128]),
            sr,
          });
        } catch (cause) {
          throw new VadError("vad_model_failed", `Silero VAD run failed: ${String(cause)}`, { cause });
        }
        const next = out.stateN?.data;
        const prob = out.output?.data;
        if (!(next instanceof Float32Array) || !(prob instanceof Float32Array)) throw new VadError("vad_model_failed", "Silero VAD answered without output or state");
        state = next;
        return prob[0]!;
      };
      return {
        score(frame) {
          if (frame.length !== SILERO_FRAME) throw new RangeError(`a VAD frame is ${SILERO_FRAME} samples, got ${frame.length}`);
          const result = queue.then(() => runFrame(frame));
          queue = result.catch(() => undefined);
          return result;
        },
        reset() {
          state = new Float32Array(STATE_SIZE);
          context = new Float32Array(CONTEXT);
        },
      };
    },
  };
}
