"use client";

import { useEffect, useState } from "react";
import { VISEMES } from "@/core/visemes/visemes";
import { LipsyncClient } from "@/workers/lipsync/client";

/**
 * Test bench page for the lipsync worker (e2e/visemes-worker.spec.ts): streams
 * /models/visemes-v2.sample.wav through the worker in 100 ms pushes and exposes
 * the frames on window.__visemes. ?ep=webgpu selects the WebGPU provider;
 * ?seconds=N keeps only the first N seconds (WebGPU on a CPU adapter is slow).
 */
type Result = { ep: string; frames: { index: number; viseme: string; probs: number[] }[]; warmupMs: number; computeMs: number; seconds: number };

declare global {
  interface Window {
    __visemes?: Result | { error: string };
  }
}

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

async function run(ep: "wasm" | "webgpu", maxSeconds: number): Promise<Result> {
  const client = new LipsyncClient(new Worker(new URL("../../../workers/lipsync/worker.ts", import.meta.url), { type: "module" }));
  try {
    const ready = await client.init({ ep });
    const wav = readPcm16Wav(await (await fetch("/models/visemes-v2.sample.wav")).arrayBuffer());
    const rate = wav.rate;
    const pcm = wav.pcm.slice(0, Math.round(maxSeconds * rate));
    await client.open("lab", rate);
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
    const ep = q.get("ep") === "webgpu" ? "webgpu" : "wasm";
    const seconds = Number(q.get("seconds") ?? "") || Infinity;
    run(ep, seconds).then(
      (r) => {
        window.__visemes = r;
        setResult(r);
        setState("done");
      },
      (e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        window.__visemes = { error: message };
        setError(message);
        setState("error");
      },
    );
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
