#!/usr/bin/env bash
# npm run train:visemes: generate data, train, export, evaluate on unheard voices, write the model card.
# Needs the training voices and the judging voices: bash training/visemes/setup-training.sh (once, as root).
# Sizes can be overridden:
#   VISEMES_TEXTS=3000 VISEMES_RENDITIONS=2 VISEMES_EPOCHS=14 VISEMES_AVERAGE_LAST=0 VISEMES_THREADS=2 VISEMES_JOBS=2 npm run train:visemes
# The defaults are the settings of the shipped model (see public/models/visemes-v5.card.md).
# Generation is deterministic (per-text seeds), so a corpus already in
# training/visemes/work/full/data with the same texts, renditions and seed is reused.
set -euo pipefail
cd "$(dirname "$0")/../.."
THREADS=${VISEMES_THREADS:-$(nproc)}
JOBS=${VISEMES_JOBS:-$(nproc)}
export OMP_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS
PY=/usr/bin/python3 # Debian's python has torch; a pyenv python on PATH may not
TEXTS=${VISEMES_TEXTS:-10000}
RENDITIONS=${VISEMES_RENDITIONS:-2}
EPOCHS=${VISEMES_EPOCHS:-16}
AVERAGE_LAST=${VISEMES_AVERAGE_LAST:-0} # >0: also try the mean of the last N epochs' weights (weight_average.py); the shipped model did not
CHANNELS=${VISEMES_CHANNELS:-150}
COARSE_WEIGHT=${VISEMES_COARSE_WEIGHT:-1}
FEATURE_AUGMENT=${VISEMES_FEATURE_AUGMENT:-1}
ACCENTED_EN=${VISEMES_ACCENTED_EN:-0} # English through other languages' MBROLA databases (generate.py --accented-english)
SEED=7
MODEL=visemes-v5
W=training/visemes/work/full
START=$(date +%s)
stamp() { echo "[train:visemes +$(( $(date +%s) - START ))s] $*"; }

for tool in espeak-ng festival ffmpeg mbrola flite; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run bash training/visemes/setup-training.sh" >&2; exit 1; }
done
[ -d /usr/share/mbrola/us1 ] && [ -d /usr/share/festival/voices/english/us1_mbrola ] &&
  [ -d /usr/share/festival/voices/us/cmu_us_slt_arctic_hts ] ||
  { echo "missing MBROLA or judging voices: run bash training/visemes/setup-training.sh" >&2; exit 1; }
$PY -c "import torch, onnx, scipy" || { echo "need Debian python3-torch python3-onnx python3-scipy" >&2; exit 1; }

mkdir -p "$W"
REUSED=""
if $PY -c "import json,sys; s=json.load(open('$W/data/summary.json')); sys.exit(0 if (s['texts'], s['renditions'], s['seed'], s.get('split_by'), float(s.get('accented_english', 0))) == ($TEXTS, $RENDITIONS, $SEED, 'speaker', float('$ACCENTED_EN')) else 1)" 2>/dev/null; then
  stamp "reusing the corpus in $W/data (same texts, renditions, seed and voices)"
  REUSED=--reused-data
else
  rm -rf "$W/data"
  stamp "generate: $TEXTS texts x $RENDITIONS renditions, accented English $ACCENTED_EN, $JOBS process(es)"
  (cd training/visemes && $PY generate.py "../../$W/data" --texts "$TEXTS" --renditions "$RENDITIONS" --seed "$SEED" --jobs "$JOBS" --accented-english "$ACCENTED_EN" 2> >(grep -v '^mbrola: ' >&2))
fi
stamp "train: $EPOCHS epochs (mean of the last $AVERAGE_LAST tried), $CHANNELS channels, coarse weight $COARSE_WEIGHT, feature augmentation $FEATURE_AUGMENT, $THREADS threads"
(cd training/visemes && $PY train.py "../../$W/data" "../../$W" --epochs "$EPOCHS" --channels "$CHANNELS" \
  --coarse-weight "$COARSE_WEIGHT" --feature-augment "$FEATURE_AUGMENT" --average-last "$AVERAGE_LAST" --threads "$THREADS")
stamp "export"
(cd training/visemes && $PY export.py "../../$W/model.pt" "../../public/models/$MODEL.onnx" "../../$W/spec.json")
(cd training/visemes && $PY make_fixture.py && $PY make_eval_sample.py "../../$W/data/val_wav" fixtures/eval)
# the longest sample doubles as the page/e2e speech file
cp "$(ls -S training/visemes/fixtures/eval/*.wav | head -1)" "public/models/$MODEL.sample.wav"
node scripts/copy-ort-wasm.mjs
stamp "judging set: voices no training utterance uses (flite, CMU ARCTIC HTS), and the platform's own TTS"
(cd training/visemes && $PY generate_heldout.py "../../$W/heldout" --per-voice "${VISEMES_HELDOUT_PER_VOICE:-40}")
(cd training/visemes && $PY generate_platform.py "../../$W/platform")
stamp "evaluate: unheard voices, side by side with HeadAudio and wLipSync"
BROWSER=--browser
command -v chromium >/dev/null || BROWSER=""
npx tsx --conditions=react-server bench/visemes.ts --data "$W/heldout/clean" --calib "$W/data/calib_wav" --json "$W/bench-heldout.json" $BROWSER | tee "$W/bench-heldout.txt"
npx tsx --conditions=react-server bench/visemes.ts --data "$W/heldout/channel" --calib "$W/data/calib_wav" --json "$W/bench-heldout-channel.json" | tee "$W/bench-heldout-channel.txt"
npx tsx --conditions=react-server bench/visemes.ts --data "$W/heldout/8khz" --calib "$W/data/calib_wav" --json "$W/bench-heldout-8khz.json" | tee "$W/bench-heldout-8khz.txt"
npx tsx --conditions=react-server bench/visemes.ts --data "$W/data/val_wav" --limit "${VISEMES_BENCH_LIMIT:-300}" --json "$W/bench.json" | tee "$W/bench.txt"
npx tsx --conditions=react-server bench/visemes.ts --data "$W/platform" --ours-only --json "$W/bench-platform.json" | tee "$W/bench-platform.txt"
npx tsx --conditions=react-server bench/visemes.ts --data training/visemes/fixtures/eval --ours-only --json "$W/bench-fixture.json"
END=$(date +%s)
stamp "write card"
(cd training/visemes && $PY write_card.py "../../$W" --wall-seconds $((END - START)) $REUSED --command "npm run train:visemes (VISEMES_TEXTS=$TEXTS VISEMES_RENDITIONS=$RENDITIONS VISEMES_EPOCHS=$EPOCHS VISEMES_AVERAGE_LAST=$AVERAGE_LAST VISEMES_CHANNELS=$CHANNELS VISEMES_COARSE_WEIGHT=$COARSE_WEIGHT VISEMES_FEATURE_AUGMENT=$FEATURE_AUGMENT VISEMES_ACCENTED_EN=$ACCENTED_EN VISEMES_THREADS=$THREADS VISEMES_JOBS=$JOBS)")
stamp "done"
