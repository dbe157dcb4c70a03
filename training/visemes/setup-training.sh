#!/usr/bin/env bash
# Installs what `npm run train:visemes` needs and the platform does not: more voices to learn from
# (MBROLA diphone voices from Debian's non-free component, Festival voices for other languages) and
# the voices reserved for judging the model on unheard speakers (flite, the CMU ARCTIC HTS voice).
# The contrib/non-free components are enabled in a sources file of their own, for training only;
# the platform's runtime (scripts/setup.sh) never needs them.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
. /etc/os-release
SRC=/etc/apt/sources.list.d/tic-training-nonfree.sources
if [ ! -f "$SRC" ]; then
  as_root tee "$SRC" >/dev/null <<SOURCES
Types: deb
URIs: http://deb.debian.org/debian
Suites: ${VERSION_CODENAME}
Components: contrib non-free
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
fi
as_root apt-get update -qq
# training voices
TRAIN=(espeak-ng festival ffmpeg wamerican python3-torch python3-onnx python3-scipy festvox-kallpc16k festvox-kdlpc16k
  mbrola festvox-italp16k festvox-itapc16k festvox-czech-dita festvox-czech-krb festvox-czech-machac
  festvox-ru festvox-suopuhe-lj festvox-suopuhe-mv festvox-hi-nsk festvox-mr-nsk festvox-te-nsk festvox-ca-ona-hts
  festvox-rablpc16k festvox-us1 festvox-us2 festvox-us3 festvox-en1)
# MBROLA voices (diphones recorded from real speakers, male and female) for the languages gen_text.py
# writes; generate.py's MBROLA table names the espeak-ng mb-* voice and its sex for each
MB=(mbrola-us1 mbrola-us2 mbrola-us3 mbrola-en1 mbrola-de1 mbrola-de2 mbrola-de3 mbrola-de4 mbrola-de5 mbrola-de6
  mbrola-de7 mbrola-de8 mbrola-fr1 mbrola-fr2 mbrola-fr3 mbrola-fr4 mbrola-fr6 mbrola-es1 mbrola-es2 mbrola-es3
  mbrola-es4 mbrola-mx1 mbrola-mx2 mbrola-it1 mbrola-it2 mbrola-it3 mbrola-it4 mbrola-pt1 mbrola-br1 mbrola-br2
  mbrola-br3 mbrola-br4 mbrola-nl1 mbrola-nl2 mbrola-nl3 mbrola-sw1 mbrola-sw2 mbrola-pl1 mbrola-cz2
  mbrola-hu1 mbrola-ro1 mbrola-id1 mbrola-tr1 mbrola-tr2 mbrola-gr2 mbrola-af1)
# judging voices: never used for training (generate_heldout.py reads them, generate.py refuses them)
JUDGE=(flite festvox-us-slt-hts)
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${TRAIN[@]}" "${MB[@]}" "${JUDGE[@]}" >/dev/null
echo "setup-training: ${#MB[@]} MBROLA voices, $(ls /usr/share/festival/voices/*/ | grep -vc :) Festival voices"
