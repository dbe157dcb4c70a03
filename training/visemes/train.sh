#!/usr/bin/env bash
# npm run train:visemes: generate data, train, export, evaluate, write the model card.
# One CPU thread throughout (shared machine). Sizes can be overridden:
#   VISEMES_TEXTS=3000 VISEMES_RENDITIONS=2 VISEMES_EPOCHS=14 npm run train:visemes
# The defaults are the settings of the shipped model (see public/models/visemes-v1.card.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
PY=/usr/bin/python3 # Debian's python has torch; a pyenv python on PATH may not
TEXTS=${VISEMES_TEXTS:-2000}
RENDITIONS=${VISEMES_RENDITIONS:-2}
EPOCHS=${VISEMES_EPOCHS:-10}
W=training/visemes/work/full
START=$(date +%s)
stamp() { echo "[train:visemes +$(( $(date +%s) - START ))s] $*"; }

for tool in espeak-ng festival ffmpeg; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install espeak-ng festival festvox-kallpc16k festvox-kdlpc16k ffmpeg" >&2; exit 1; }
done
$PY -c "import torch, onnx, scipy" || { echo "need Debian python3-torch python3-onnx python3-scipy" >&2; exit 1; }

rm -rf "$W" && mkdir -p "$W"
stamp "generate: $TEXTS texts x $RENDITIONS renditions"
(cd training/visemes && $PY generate.py "../../$W/data" --texts "$TEXTS" --renditions "$RENDITIONS" --seed 7)
stamp "train: $EPOCHS epochs"
(cd training/visemes && $PY train.py "../../$W/data" "../../$W" --epochs "$EPOCHS")
stamp "export"
(cd training/visemes && $PY export.py "../../$W/model.pt" ../../public/models/visemes-v1.onnx "../../$W/spec.json")
(cd training/visemes && $PY make_fixture.py && $PY make_eval_sample.py "../../$W/data/val_wav" fixtures/eval)
# the longest sample doubles as the page/e2e speech file
cp "$(ls -S training/visemes/fixtures/eval/*.wav | head -1)" public/models/visemes-v1.sample.wav
node scripts/copy-ort-wasm.mjs
stamp "evaluate: validation set, side by side with HeadAudio and wLipSync"
BROWSER=--browser
command -v chromium >/dev/null || BROWSER=""
npx tsx --conditions=react-server bench/visemes.ts --data "$W/data/val_wav" --limit "${VISEMES_BENCH_LIMIT:-300}" --json "$W/bench.json" $BROWSER | tee "$W/bench.txt"
npx tsx --conditions=react-server bench/visemes.ts --data training/visemes/fixtures/eval --ours-only --json "$W/bench-fixture.json"
END=$(date +%s)
stamp "write card"
(cd training/visemes && $PY write_card.py "../../$W" --wall-seconds $((END - START)) --command "npm run train:visemes (VISEMES_TEXTS=$TEXTS VISEMES_RENDITIONS=$RENDITIONS VISEMES_EPOCHS=$EPOCHS)")
stamp "done"
