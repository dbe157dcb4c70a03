#!/usr/bin/env bash
# `npm test`: every check the project has, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NEXT_TELEMETRY_DISABLED=1
# Request logs of the servers under test would bury the test output; warnings and errors still show.
export LOG_LEVEL="${LOG_LEVEL:-warn}"

step() { printf '\n=== %s ===\n' "$1"; }

step "setup (system packages, PostgreSQL)"
bash scripts/setup.sh --test

# Run two single-threaded checks at once (the machine has two cores; CI must finish in 20 min), each
# into its own log, printed whole and in order so the output reads as if they had run one by one.
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
side_by_side() { # side_by_side "title A" "command A" "title B" "command B"
  bash -c "$2" >"$LOGS/a" 2>&1 &
  local a=$!
  bash -c "$4" >"$LOGS/b" 2>&1 &
  local b=$!
  local rc_a=0 rc_b=0
  wait "$a" || rc_a=$?
  wait "$b" || rc_b=$?
  step "$1"; cat "$LOGS/a"
  step "$3"; cat "$LOGS/b"
  [ "$rc_a" = 0 ] || { echo "FAILED: $1 (exit $rc_a)"; exit "$rc_a"; }
  [ "$rc_b" = 0 ] || { echo "FAILED: $3 (exit $rc_b)"; exit "$rc_b"; }
}

side_by_side "type check" "npx tsc --noEmit -p tsconfig.json" \
  "lint (incl. import boundaries)" "npx eslint --max-warnings=0 ."

step "SDK build"
npm run build --workspaces --if-present

side_by_side "unit tests" "npx vitest run --project unit" \
  "training pipeline tests (Python: labels follow the audio through every augmentation)" \
  "cd training/visemes && /usr/bin/python3 -m unittest -q test_augment test_feature_augment test_espeak_closures test_viseme_map test_voice_split test_model_dropout test_weight_average"

step "integration tests (PGlite and PostgreSQL)"
npx vitest run --project integration

step "production build"
npm run build

step "end-to-end tests (Playwright, Debian Chromium)"
rm -rf data/e2e
npx playwright test
