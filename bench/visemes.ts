/**
 * npm run bench:visemes — our viseme model vs HeadAudio and wLipSync on the same
 * validation audio, in one run: 15-viseme and coarse-group frame accuracy,
 * CPU ms per audio second (one thread), first-frame latency; --browser adds
 * onnxruntime-web WASM in Chromium through the real worker.
 *
 *   --data DIR     validation WAV+JSON pairs (default: the last training run's, else the committed sample)
 *   --calib DIR    training audio to calibrate wLipSync (default: DATA/../calib_wav)
 *   --limit N      evenly spaced subset of DATA      --json FILE   also write the figures as JSON
 *   --browser      also measure in Chromium (needs public/ort, see scripts/copy-ort-wasm.mjs)
 *   --ours-only    skip the peers (the model card's check on the committed sample)
 *   --model FILE   score this ONNX file instead of the shipped one (a checkpoint, a previous model)
 *
 * Ours also gets a 95% interval (bootstrap over utterances within each voice): how far another
 * draw of as many sentences from the same voices could move its pooled figures.
 *
 * Every system is also scored per voice (the JSON's "voice": a held-out speaker, or a TTS
 * speed/emotion condition) and per sex, so unheard voices are reported one by one, female and
 * male apart, not only pooled.
 */
import { existsSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { loadEvalSet, type EvalItem } from "@/server/visemes/eval/eval-set";
import { AccuracyCounter } from "@/server/visemes/eval/metrics";
import { BOOTSTRAP_RESAMPLES, bootstrapAccuracy, type UtteranceScore } from "@/server/visemes/eval/bootstrap";
import { runHeadAudio } from "@/server/visemes/eval/headaudio-peer";
import { calibrateWlipsync, type WlipsyncConfig } from "@/server/visemes/eval/wlipsync-peer";
import { measureOurs, firstFrameLatency } from "@/server/visemes/eval/ours";
import { runBrowserBench } from "@/server/visemes/eval/browser-bench";
import { VISEMES, type VisemeName } from "@/core/visemes/visemes";
import { VISEME_MODEL_PATH } from "@/core/visemes/model-spec";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const DEFAULT_DATA = ["training/visemes/work/full/data/val_wav", "training/visemes/fixtures/eval"];
const dataDir = arg("data") ?? DEFAULT_DATA.find((d) => existsSync(d))!;
const calibDir = arg("calib") ?? join(dirname(dataDir), "calib_wav");
const limit = Number(arg("limit") ?? Infinity);
const oursOnly = process.argv.includes("--ours-only");
const modelFile = arg("model");

type Row = {
  name: string; acc: AccuracyCounter; clean: AccuracyCounter; cpuMs: number; notes: string;
  byVoice: Map<string, AccuracyCounter>; bySex: Map<string, AccuracyCounter>;
};

function counter(m: Map<string, AccuracyCounter>, key: string): AccuracyCounter {
  let c = m.get(key);
  if (!c) m.set(key, (c = new AccuracyCounter()));
  return c;
}

function cpuMs<T>(fn: () => T): [T, number] {
  const c0 = process.cpuUsage();
  const out = fn();
  const c = process.cpuUsage(c0);
  return [out, (c.user + c.system) / 1000];
}

function score(row: Row, item: EvalItem, predicted: VisemeName[]) {
  row.acc.add(item.labels, predicted);
  if (item.meta.clean) row.clean.add(item.labels, predicted);
  counter(row.byVoice, item.meta.voice ?? "?").add(item.labels, predicted);
  counter(row.bySex, item.meta.sex ?? "-").add(item.labels, predicted);
}

const newRow = (name: string, notes = ""): Row => ({
  name, acc: new AccuracyCounter(), clean: new AccuracyCounter(), cpuMs: 0, notes, byVoice: new Map(), bySex: new Map(),
});

/** Per-voice (or per-sex) table: one line per group, each system's 15-viseme / coarse accuracy side by side. */
function groupTable(title: string, rows: Row[], pick: (r: Row) => Map<string, AccuracyCounter>, sexOf: Map<string, string>) {
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const keys = [...pick(rows[0]!).keys()].sort();
  console.log(`\n${title}\n\n| ${title.startsWith("per voice") ? "voice | sex" : "sex"} | frames | ${rows.map((r) => `${r.name} 15 / coarse`).join(" | ")} |`);
  console.log(`| --- | ${title.startsWith("per voice") ? "--- | " : ""}--- | ${rows.map(() => "---").join(" | ")} |`);
  for (const k of keys) {
    const cells = rows.map((r) => {
      const c = pick(r).get(k);
      return c && c.frames ? `${pct(c.accuracy)} / ${pct(c.coarseAccuracy)}` : "-";
    });
    const lead = title.startsWith("per voice") ? `${k} | ${sexOf.get(k) ?? "-"}` : k;
    console.log(`| ${lead} | ${pick(rows[0]!).get(k)!.frames} | ${cells.join(" | ")} |`);
  }
}

const groupJson = (m: Map<string, AccuracyCounter>) =>
  Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, c]) => [k, { accuracy: c.accuracy, coarseAccuracy: c.coarseAccuracy, frames: c.frames }]));

async function main() {
  const items = loadEvalSet(dataDir, limit);
  const seconds = items.reduce((a, it) => a + it.samples.length / it.sampleRate, 0);
  console.log(`validation: ${items.length} utterances, ${seconds.toFixed(1)} s of audio from ${dataDir}`);

  const ours = newRow(`ours (${basename(modelFile ?? VISEME_MODEL_PATH, ".onnx")}, onnxruntime-node)`, "streamed in 100 ms chunks");
  const o = await measureOurs(items, modelFile);
  const perUtterance: UtteranceScore[] = [];
  o.predictions.forEach((p, i) => {
    score(ours, items[i]!, p);
    const one = new AccuracyCounter();
    one.add(items[i]!.labels, p);
    perUtterance.push({ group: items[i]!.meta.voice ?? "?", frames: one.frames, exact: one.exact, coarse: one.coarse });
  });
  const interval = bootstrapAccuracy(perUtterance);
  ours.cpuMs = o.cpuMs;
  const latency = await firstFrameLatency(items[0]!, modelFile);

  const head = newRow("@met4citizen/headaudio 0.1.0", "shipped model-en-mixed.bin, default VAD");
  for (const it of oursOnly ? [] : items) {
    const [p, ms] = cpuMs(() => runHeadAudio(it.samples, it.sampleRate, it.labels.length));
    score(head, it, p);
    head.cpuMs += ms;
  }

  const wl = newRow("wlipsync 1.3.1", "15-entry profile calibrated on our training audio");
  if (oursOnly) wl.notes = "skipped (--ours-only)";
  else if (existsSync(calibDir)) {
    const calib = loadEvalSet(calibDir, 40);
    let best: { cfg: WlipsyncConfig; acc: number } | null = null;
    // choose wLipSync's settings on the training (calibration) audio, never on validation
    for (const compareMethod of [0, 1, 2] as const) {
      for (const standardize of [false, true]) {
        const cfg = { compareMethod, standardize, gate: true };
        const run = await calibrateWlipsync(calib, cfg);
        const a = new AccuracyCounter();
        for (const it of calib) a.add(it.labels, run(it.samples, it.labels.length));
        if (!best || a.accuracy > best.acc) best = { cfg, acc: a.accuracy };
      }
    }
    const run = await calibrateWlipsync(calib, best!.cfg);
    wl.notes += ` (${calib.length} files; compare=${best!.cfg.compareMethod}, standardize=${best!.cfg.standardize})`;
    for (const it of items) {
      const [p, ms] = cpuMs(() => run(it.samples, it.labels.length));
      score(wl, it, p);
      wl.cpuMs += ms;
    }
  } else wl.notes = `skipped: no calibration audio at ${calibDir}`;

  // the browser figure is optional: a missing or crashing Chromium must not lose the others
  const browser = process.argv.includes("--browser")
    ? await runBrowserBench(items).catch((e: unknown) => {
        console.error(`browser bench failed: ${e instanceof Error ? e.message : String(e)}`);
        return null;
      })
    : null;
  if (browser) {
    // same frames as Node? (argmax per frame)
    let same = 0;
    let total = 0;
    browser.predictions.forEach((p, i) => p.forEach((v, k) => {
      total++;
      if (VISEMES[v] === o.predictions[i]![k]) same++;
    }));
    browser.agreement = total ? same / total : 0;
  }

  const rows = oursOnly ? [ours] : [ours, head, wl];
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  console.log("\n| system | 15-viseme acc | coarse acc | clean-subset acc | CPU ms / audio s | notes |\n| --- | --- | --- | --- | --- | --- |");
  for (const r of rows) {
    console.log(`| ${r.name} | ${pct(r.acc.accuracy)} | ${pct(r.acc.coarseAccuracy)} | ${r.clean.frames ? pct(r.clean.accuracy) : "-"} | ${(r.cpuMs / seconds).toFixed(2)} | ${r.notes} |`);
  }
  console.log(`\nours, 95% interval over utterances (${BOOTSTRAP_RESAMPLES} bootstrap resamples within each voice): 15-viseme ${pct(interval.accuracy.low)}-${pct(interval.accuracy.high)}, ` +
    `coarse ${pct(interval.coarseAccuracy.low)}-${pct(interval.coarseAccuracy.high)}`);
  const sexOf = new Map(items.map((it) => [it.meta.voice ?? "?", it.meta.sex ?? "-"]));
  if (ours.byVoice.size > 1) groupTable("per voice (15-viseme / coarse frame accuracy)", rows, (r) => r.byVoice, sexOf);
  if (ours.bySex.size > 1) groupTable("per sex, pooled over voices", rows, (r) => r.bySex, sexOf);
  const worst = [...ours.byVoice].sort(([, a], [, b]) => a.coarseAccuracy - b.coarseAccuracy)[0];
  if (worst && ours.byVoice.size > 1) console.log(`\nours, lowest coarse accuracy of any voice: ${pct(worst[1].coarseAccuracy)} (${worst[0]})`);
  const recall = ours.acc.recall(VISEMES);
  console.log("\nours, per reference viseme: recall and the most frequent wrong prediction\n\n| viseme | frames | recall | most often taken for |\n| --- | --- | --- | --- |");
  for (const r of recall) console.log(`| ${r.viseme} | ${r.frames} | ${pct(r.recall)} | ${r.mostConfusedWith ? `${r.mostConfusedWith} (${pct(r.mostConfusedShare)})` : "-"} |`);
  console.log(`\nframes scored: ${ours.acc.frames} (clean subset ${ours.clean.frames})`);
  console.log(`ours, Node whole-file analysis: ${(o.wholeFileCpuMs / seconds).toFixed(2)} CPU ms per audio second`);
  console.log(`ours, first frame out: ${latency.audioMs.toFixed(1)} ms of audio pushed + ${latency.computeMs.toFixed(2)} ms compute = ${latency.totalMs.toFixed(1)} ms after its audio went in (10 ms pushes)`);
  if (browser) {
    console.log(`ours, browser (Chromium, onnxruntime-web WASM, 1 thread, in the worker, 100 ms pushes): ${browser.msPerAudioSecond.toFixed(2)} ms compute per audio second ` +
      `(${browser.roundTripMsPerAudioSecond.toFixed(2)} ms with page<->worker messaging; whole-file analyze ${browser.wholeFileMsPerAudioSecond.toFixed(2)} ms) ` +
      `over ${browser.seconds.toFixed(1)} s; same viseme as Node on ${pct(browser.agreement)} of frames`);
  }

  const json = {
    data: dataDir, utterances: items.length, audioSeconds: Number(seconds.toFixed(2)),
    systems: rows.map((r) => ({
      name: r.name, accuracy: r.acc.accuracy, coarseAccuracy: r.acc.coarseAccuracy,
      cleanAccuracy: r.clean.frames ? r.clean.accuracy : null, cpuMsPerAudioSecond: r.cpuMs / seconds, frames: r.acc.frames, notes: r.notes,
      perVoice: groupJson(r.byVoice), perSex: groupJson(r.bySex),
    })),
    voiceSex: Object.fromEntries(sexOf),
    oursPerViseme: recall,
    oursInterval95: interval,
    oursWholeFileCpuMsPerAudioSecond: o.wholeFileCpuMs / seconds,
    firstFrameLatency: latency, browser: browser && { msPerAudioSecond: browser.msPerAudioSecond, wholeFileMsPerAudioSecond: browser.wholeFileMsPerAudioSecond, roundTripMsPerAudioSecond: browser.roundTripMsPerAudioSecond, seconds: browser.seconds, agreement: browser.agreement, warmupMs: browser.warmupMs },
  };
  const out = arg("json");
  if (out) writeFileSync(out, JSON.stringify(json, null, 1));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
