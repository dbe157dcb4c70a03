"use client";

import { useEffect, useState } from "react";
import { VISEME_SAMPLE_PATH } from "@/core/visemes/model-spec";
import { VISEMES } from "@/core/visemes/visemes";
import { LipsyncClient } from "@/workers/lipsync/client";
import { exposeTestHook, type VisemesProbe } from "@/workers/test-hooks";

/**
 * Test bench page for the lipsync worker (e2e/visemes-worker.spec.ts): streams
 * the model's speech sample (VISEME_SAMPLE_PATH) through the worker in 100 ms pushes and exposes
 * the frames on window.__tic.visemes. ?ep=webgpu selects the WebGPU provider;
 * ?seconds=N keeps only the first N seconds (WebGPU on a CPU adapter is slow);
 * ?model= and ?worker= point the worker at another model or script (failure tests).
 */
type Result = Exclude<VisemesProbe, { error: string }>;
type Options = { ep: "wasm" | "webgpu"; maxSeconds: number; modelUrl?: string; workerUrl?: string };

function readPcm16Wav(buf: ArrayBuffer): { pcm: Float32Array<ArrayBuffer>; rate: number } {
  const v = new DataView(buf);
  let p = 12;
  let rate = 16000;
  while (p + 8 <= v.byteLength) {
    const id = String.fromCharCode(v.getUint8(p), v.getUint8(p + 1), v.getUint8(p + 2), v.getUint8(p + 3));
    const size = v.getUint32(p + 4, true);
    if (id === "fmt ") rate = v.getUint32(p + 12, true);
    if (id === "data") {
      const n = Math.floor(Math.min(size, v.byteLength - p - 8) / 2);
      const pcm = new Float32Array(n);
      for (let i = 0; i < n; i++) pcm[i] = v.getInt16(p + 8 + 2 * i, true) / 32768;
      return { pcm, rate };
    }
    p += 8 + size + (size & 1);
  }
  throw new Error("no data chunk in sample WAV");
}

async function run({ ep, maxSeconds, modelUrl, workerUrl }: Options): Promise<Result> {
  const worker = workerUrl ? new Worker(workerUrl, { type: "module" }) : new Worker(new URL("../../../workers/lipsync/worker.ts", import.meta.url), { type: "module" });
  const client = new LipsyncClient(worker);
  try {
    const wav = readPcm16Wav(await (await fetch(VISEME_SAMPLE_PATH)).arrayBuffer());
    const rate = wav.rate;
    const pcm = wav.pcm.slice(0, Math.round(maxSeconds * rate));
    // Sent together: a worker or model that fails must reject the open waiting behind init too.
    const [ready] = await Promise.all([client.init({ ep, modelUrl }), client.open("lab", rate)]);
    const frames: Result["frames"] = [];
    const t0 = performance.now();
    const step = Math.round(rate / 10);
    for (let i = 0; i < pcm.length; i += step) {
      for (const f of await client.push("lab", pcm.slice(i, i + step))) frames.push({ index: f.index, viseme: f.viseme, probs: Array.from(f.probs) });
    }
    for (const f of await client.end("lab")) frames.push({ index: f.index, viseme: f.viseme, probs: Array.from(f.probs) });
    return { ep: ready.ep, frames, warmupMs: ready.warmupMs, computeMs: performance.now() - t0, seconds: pcm.length / rate };
  } finally {
    client.terminate();
  }
}

export default function VisemesLabPage() {
  const [state, setState] = useState<"running" | "done" | "error">("running");
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    const q = new URLSearchParams(window.location.search);
    let unhook = () => {};
    run({
      ep: q.get("ep") === "webgpu" ? "webgpu" : "wasm",
      maxSeconds: Number(q.get("seconds") ?? "") || Infinity,
      modelUrl: q.get("model") ?? undefined,
      workerUrl: q.get("worker") ?? undefined,
    }).then(
      (r) => {
        unhook = exposeTestHook("visemes", r);
        setResult(r);
        setState("done");
      },
      (e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        unhook = exposeTestHook("visemes", { error: message, code: (e as { code?: string }).code ?? "unknown" });
        setError(message);
        setState("error");
      },
    );
    return () => unhook();
  }, []);

  return (
    <main style={{ fontFamily: "monospace", padding: 24 }}>
      <h1>Lipsync worker lab</h1>
      <p data-testid="visemes-status">{state}</p>
      {error && <p data-testid="visemes-error">{error}</p>}
      {result && (
        <>
          <p data-testid="visemes-ep">{result.ep}</p>
          <p data-testid="visemes-frame-count">{result.frames.length}</p>
          <p>
            {result.seconds.toFixed(2)} s of audio in {result.computeMs.toFixed(1)} ms (warm-up {result.warmupMs.toFixed(1)} ms)
          </p>
          <p data-testid="visemes-track">{result.frames.map((f) => f.viseme).join(" ")}</p>
          <p>{VISEMES.join(" ")}</p>
        </>
      )}
    </main>
  );
}
