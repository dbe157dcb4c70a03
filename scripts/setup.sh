#!/usr/bin/env bash
# Installs and starts what the platform and its tests need on a fresh Debian machine, and nothing
# that is already there. Usage: setup.sh [--run | --test]
#   --run   what `npm start` needs: ffmpeg (decoding, MP4), espeak-ng (embedded TTS), pocketsphinx with
#           its US English model and Python bindings (embedded speech recognition of live sessions)
#   --test  also Debian's Chromium (Playwright drives /usr/bin/chromium), sox, numpy/scipy for the
#           training pipeline's tests, a PostgreSQL server on 127.0.0.1:5432 and a Redis server on
#           127.0.0.1:6379 (the multi-instance tests share limits and key invalidations through it)
set -euo pipefail
mode="${1:---run}"
cd "$(dirname "$0")/.."

need=()
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v espeak-ng >/dev/null || need+=(espeak-ng)
# The recogniser driver runs on the system Python (Debian's bindings are built for it), not a pyenv/venv one.
[ -f /usr/share/pocketsphinx/model/en-us/en-us.lm.bin ] || need+=(pocketsphinx-en-us)
/usr/bin/python3 -c "from pocketsphinx import pocketsphinx" 2>/dev/null || need+=(python3 python3-pocketsphinx)
command -v pocketsphinx_continuous >/dev/null || need+=(pocketsphinx)
if [ "$mode" = "--test" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v sox >/dev/null || need+=(sox)
  # the training pipeline's label-timing tests (training/visemes/test_augment.py); no torch needed
  /usr/bin/python3 -c "import numpy, scipy" 2>/dev/null || need+=(python3-numpy python3-scipy)
  command -v redis-server >/dev/null || need+=(redis-server)
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

pg_up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
if [ "$mode" = "--test" ] && ! pg_up; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "setup: installing PostgreSQL"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  conf="/etc/postgresql/$version/main/pg_hba.conf"
  # Tests connect as postgres over TCP without a password, as on CI machines of this kind.
  if ! grep -q "^host all all 127.0.0.1/32 trust" "$conf"; then
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$conf"
  fi
  echo "setup: starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { echo "setup: PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1; }
fi

redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }
if [ "$mode" = "--test" ] && ! redis_up; then
  echo "setup: starting Redis"
  # No persistence: test counters and messages need none, and nothing is left on disk.
  redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no --daemonize yes >/dev/null
  for _ in $(seq 1 30); do redis_up && break; sleep 0.2; done
  redis_up || { echo "setup: Redis did not start on 127.0.0.1:6379" >&2; exit 1; }
fi

# onnxruntime-web's wasm files are served from our own origin, never a CDN.
[ -f scripts/copy-ort-wasm.mjs ] && node scripts/copy-ort-wasm.mjs >/dev/null
exit 0
