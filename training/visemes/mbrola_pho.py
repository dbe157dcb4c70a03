"""English through other languages' MBROLA databases, labelled by what MBROLA plays.

espeak-ng's mb-*-en voices (mb-de1-en, mb-sw2-en, ...) speak English with the diphones of a German,
Swedish, ... speaker, mapping each English phoneme onto the nearest one the database has ("think"
becomes "f I N k" through de1). Its phoneme events name the English phonemes, so they would label
that /f/ as TH. Instead espeak-ng writes the MBROLA input (--pho: database symbol, duration in ms,
pitch targets), the mbrola program renders exactly that file, and the labels are its symbols and
durations: audio and labels come from one file, so they cannot drift apart.
"""
import os
import subprocess
import tempfile

import numpy as np
from scipy.io import wavfile

MBROLA_DIR = "/usr/share/mbrola"


def parse_pho(text):
    """MBROLA .pho text -> [(symbol, duration_ms, [(percent, hz), ...])]; comments and blanks skipped."""
    out = []
    for line in text.splitlines():
        line = line.split(";", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        nums = [float(p) for p in parts[2:]]
        out.append((parts[0], int(parts[1]), list(zip(nums[0::2], nums[1::2]))))
    return out


def format_pho(entries):
    return "\n".join(f"{s} {d}" + "".join(f" {p:g} {hz:.0f}" for p, hz in pts) for s, d, pts in entries) + "\n"


def reshape_pitch(entries, shift=1.0, spread=1.0):
    """Scale every pitch target by `shift` and its distance from the utterance's mean by `spread`
    (espeak-ng's command line has no pitch-range option; the .pho holds the contour itself)."""
    hz = [h for _, _, pts in entries for _, h in pts]
    if not hz:
        return entries
    mean = float(np.mean(hz))
    return [(s, d, [(p, max(50.0, (mean + (h - mean) * spread) * shift)) for p, h in pts]) for s, d, pts in entries]


def pho_of(text, voice, rate, pitch):
    """espeak-ng's MBROLA input for `text` spoken by mb-* `voice` at `rate` wpm and `pitch` (0-99)."""
    r = subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "--pho", "-q", "--stdin"],
                       input=text, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"espeak-ng --pho {voice}: {r.stderr.strip()[:200]}")
    return parse_pho(r.stdout)


def render(entries, database):
    """Render .pho entries with the mbrola program -> (int16 audio, sample rate)."""
    db = os.path.join(MBROLA_DIR, database, database)
    with tempfile.TemporaryDirectory() as d:
        pho, wav = os.path.join(d, "in.pho"), os.path.join(d, "out.wav")
        with open(pho, "w") as f:
            f.write(format_pho(entries))
        # -e: a diphone the database lacks is skipped with a warning instead of ending the utterance
        r = subprocess.run(["mbrola", "-e", db, pho, wav], capture_output=True, text=True, timeout=60)
        if r.returncode != 0 or not os.path.exists(wav):
            raise RuntimeError(f"mbrola {database}: {r.stderr.strip()[:200]}")
        sr, x = wavfile.read(wav)
    return x, sr


def segments(entries):
    """[(start_s, end_s, symbol)] from the .pho durations, the timing MBROLA renders."""
    out, t = [], 0.0
    for s, d, _ in entries:
        out.append((t, t + d / 1000, s))
        t += d / 1000
    return out
