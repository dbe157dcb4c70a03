/// <reference lib="webworker" />
import * as ort from "onnxruntime-web";
import { analyzeVisemes, VisemeStream, type VisemeFrame } from "@/core/visemes/engine";
import { VisemeError } from "@/core/visemes/errors";
import { VISEME_MODEL } from "@/core/visemes/model-spec";
import { initialState, type VisemeModelRunner } from "@/core/visemes/runner";
import { openVisemeRunner, type OrtRuntimeLike } from "@/core/visemes/session";
import { packFrames } from "./pack";
import { requestSchema, type LipsyncErrorCode, type LipsyncReply, type ParsedRequest } from "./protocol";

declare const self: DedicatedWorkerGlobalScope;

let runner: VisemeModelRunner | null = null;
let runnerEp: "wasm" | "webgpu" = "wasm";
const streams = new Map<string, VisemeStream>();

function reply(msg: LipsyncReply) {
  const transfer = msg.type === "frames" ? [msg.frames.probs.buffer, msg.frames.mouth.buffer] : [];
  self.postMessage(msg, transfer as Transferable[]);
}

async function init(req: Extract<ParsedRequest, { type: "init" }>) {
  // Same origin only: the runtime files are copied to /ort/ by scripts/copy-ort-wasm.mjs, never a CDN.
  ort.env.wasm.wasmPaths = req.wasmPaths;
  ort.env.wasm.numThreads = req.threads;
  const t0 = performance.now();
  // The one session factory of the server, the CLI and the tests; a model that cannot load is init_failed.
  runner = await openVisemeRunner(ort as unknown as OrtRuntimeLike, req.modelUrl, { executionProviders: [req.ep] }).catch((e: unknown) => {
    throw new LipsyncFailure("init_failed", e instanceof Error ? e.message : String(e));
  });
  const loadMs = performance.now() - t0;
  runnerEp = req.ep;
  // warm-up: the first run compiles kernels / allocates; keep that off the first real frame
  const t1 = performance.now();
  const frames = 16;
  await runner.run(new Float32Array(frames * VISEME_MODEL.melBins).fill(VISEME_MODEL.silenceFeature), frames, initialState(VISEME_MODEL));
  reply({ type: "ready", ref: req.id, ep: runnerEp, warmupMs: performance.now() - t1, loadMs });
}

function framesReply(ref: number, stream: string | null, final: boolean, frames: VisemeFrame[], t0: number, nonFinite: number) {
  reply({ type: "frames", ref, stream, final, frames: packFrames(frames), computeMs: performance.now() - t0, nonFiniteSamples: nonFinite });
}

async function handle(req: ParsedRequest) {
  if (req.type === "init") return init(req);
  if (!runner) throw new LipsyncFailure("not_initialised", "send init before other requests");
  const t0 = performance.now();
  switch (req.type) {
    case "open":
      streams.set(req.stream, new VisemeStream(runner, req.sampleRate));
      return reply({ type: "opened", ref: req.id, stream: req.stream });
    case "push": {
      const s = streamOf(req.stream);
      return framesReply(req.id, req.stream, false, await s.push(req.pcm), t0, s.nonFiniteSamples);
    }
    case "end": {
      const s = streamOf(req.stream);
      streams.delete(req.stream);
      return framesReply(req.id, req.stream, true, await s.end(), t0, s.nonFiniteSamples);
    }
    case "analyze": {
      const r = await analyzeVisemes(runner, req.pcm, req.sampleRate);
      return framesReply(req.id, null, true, r.frames, t0, r.nonFiniteSamples);
    }
  }
}

class LipsyncFailure extends Error {
  constructor(
    readonly code: LipsyncErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function streamOf(id: string): VisemeStream {
  const s = streams.get(id);
  if (!s) throw new LipsyncFailure("unknown_stream", `no open stream "${id}"`);
  return s;
}

// Requests run one after another: streams share the session and need their pushes in order.
let chain: Promise<void> = Promise.resolve();
self.onmessage = (ev: MessageEvent<unknown>) => {
  const parsed = requestSchema.safeParse(ev.data);
  const ref = typeof (ev.data as { id?: unknown })?.id === "number" ? (ev.data as { id: number }).id : null;
  if (!parsed.success) {
    reply({ type: "error", ref, code: "bad_request", message: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") });
    return;
  }
  chain = chain.then(() =>
    handle(parsed.data).catch((e: unknown) => {
      const code: LipsyncErrorCode =
        e instanceof VisemeError || e instanceof LipsyncFailure ? e.code : parsed.data.type === "init" ? "init_failed" : "model_failed";
      reply({ type: "error", ref, code, message: e instanceof Error ? e.message : String(e) });
    }),
  );
};
