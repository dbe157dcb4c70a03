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

step "type check"
npx tsc --noEmit -p tsconfig.json

step "lint (incl. import boundaries)"
npx eslint --max-warnings=0 .

step "SDK build"
npm run build --workspaces --if-present

step "unit tests"
npx vitest run --project unit

step "training pipeline tests (Python: labels follow the audio through every augmentation)"
(cd training/visemes && /usr/bin/python3 -m unittest -q test_augment test_feature_augment test_espeak_closures test_viseme_map test_voice_split test_model_dropout)

step "integration tests (PGlite and PostgreSQL)"
npx vitest run --project integration

step "production build"
npm run build

step "end-to-end tests (Playwright, Debian Chromium)"
rm -rf data/e2e
npx playwright test
