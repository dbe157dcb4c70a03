#!/usr/bin/env bash
# Train several model configurations at once on one machine (a GPU machine when
# one is lent; each run is small, so they share the GPU) and print their
# validation figures side by side. This is how the shipped width and loss were
# chosen; `npm run train:visemes` then trains the chosen one from scratch.
#   sweep.sh DATA OUT EPOCHS "name:train.py args" ...
set -euo pipefail
DATA=$1 OUT=$2 EPOCHS=$3
shift 3
mkdir -p "$OUT"
cd "$(dirname "$0")"
for spec in "$@"; do
  name=${spec%%:*} args=${spec#*:}
  mkdir -p "$OUT/$name"
  # shellcheck disable=SC2086
  python3 train.py "$DATA" "$OUT/$name" --epochs "$EPOCHS" $args >"$OUT/$name/log.txt" 2>&1 &
done
wait
for spec in "$@"; do
  name=${spec%%:*}
  python3 - "$OUT/$name" "$name" <<'PY'
import json, sys
m = json.load(open(f"{sys.argv[1]}/train-metrics.json"))
print(f"{sys.argv[2]:>12} params {m['params']:>7}  argmax: acc {m['val_frame_accuracy']:.4f} coarse {m['val_coarse_accuracy']:.4f}  "
      f"group-first: acc {m['val_frame_accuracy_group_first']:.4f} coarse {m['val_coarse_accuracy_group_first']:.4f}  {m['seconds']:.0f}s")
PY
done
