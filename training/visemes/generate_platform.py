"""Render what the platform's embedded TTS sends the viseme model: espeak-ng's default English voice
at every `speed` step of the contract's range and every `emotion` server/services/tts/espeak-params.ts
knows, with the library's exact phoneme events as labels. WAV + JSON pairs for bench:visemes, grouped
by condition (the JSON's "voice" field names it, so the bench reports each one on its own row).

Usage: generate_platform.py OUT_DIR [--per-condition N]
The prosody table is read from espeak-params.ts itself, so this cannot drift from what turns use.
"""
import argparse
import json
import os
import random
import re

import numpy as np
from scipy import signal
from scipy.io import wavfile

import espeak_events
import gen_text
from viseme_map import VISEMES, espeak_visemes, is_modifier, segments_to_labels

PARAMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../server/services/tts/espeak-params.ts")
SPEEDS = (0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 4)  # TTS_LIMITS: 0.25..4 (2.5 and up reach the 450 wpm ceiling)


def prosody_table():
    src = open(PARAMS, encoding="utf-8").read()
    neutral = re.search(r"NEUTRAL: EmotionProsody = \{ pitch: (\d+), rate: ([\d.]+), amplitude: (\d+) \}", src)
    table = {"neutral": tuple(float(g) for g in neutral.groups())}
    for name, p, r, amp in re.findall(r"^\s+(\w+): \{ pitch: (\d+), rate: ([\d.]+), amplitude: (\d+) \}", src, re.M):
        table[name] = (float(p), float(r), float(amp))
    wpm = re.search(r"ESPEAK_WPM = \{ normal: (\d+), min: (\d+), max: (\d+) \}", src)
    return table, tuple(int(g) for g in wpm.groups())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--per-condition", type=int, default=12)
    ap.add_argument("--voice", default="en-us")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    table, (normal, lo, hi) = prosody_table()
    conditions = [(s, "neutral") for s in SPEEDS] + [(1, e) for e in table if e != "neutral"]
    stamp = dict(table=table, wpm=[normal, lo, hi], speeds=SPEEDS, per_condition=a.per_condition, voice=a.voice,
                 labels="closures-to-stops")
    try:  # deterministic: a set already rendered from the same table is reused
        if json.load(open(f"{a.out}/summary.json")) == json.loads(json.dumps(stamp)):
            print(f"platform set in {a.out} is current, reused")
            return
    except (OSError, ValueError):
        pass
    for ci, (speed, emotion) in enumerate(conditions):
        pitch, rate, amp = table[emotion]
        wpm = int(round(min(hi, max(lo, normal * speed * rate))))
        for i in range(a.per_condition):
            text = gen_text.sentence(random.Random(f"platform:{i}"), "en-us")  # same texts in every condition
            audio, ev, sr = espeak_events.synth_rate(text, a.voice, rate=wpm, pitch=int(pitch), volume=int(amp))
            ev = [(s, p) for s, p in ev if not is_modifier(p)]
            ev = espeak_events.closures_to_stops(audio, sr, ev)  # the same labels as training
            segs = [(s / sr, (ev[k + 1][0] if k + 1 < len(ev) else len(audio)) / sr, espeak_visemes(p))
                    for k, (s, p) in enumerate(ev)]
            x = audio.astype(np.float32) / 32768
            g = int(np.gcd(16000, sr))
            x = signal.resample_poly(x, 16000 // g, sr // g).astype(np.float32)
            x = np.concatenate([x, np.zeros(1600, np.float32)])
            labels = segments_to_labels([s for s in segs if s[1] > s[0]], int(len(x) / 16000 * 100))
            name = f"{ci:02d}_{i:03d}"
            wavfile.write(f"{a.out}/{name}.wav", 16000, (np.clip(x, -1, 1) * 32767).astype(np.int16))
            cond = f"{a.voice} speed={speed:g} ({wpm} wpm) emotion={emotion}"
            with open(f"{a.out}/{name}.json", "w") as f:
                json.dump(dict(engine="espeak-ng", voice=cond, sex="male", lang="en-us", text=text, clean=True, ops=[],
                               speed=speed, emotion=emotion, wpm=wpm, seconds=round(len(x) / 16000, 3), fps=100,
                               labels=[VISEMES[k] if k >= 0 else None for k in labels]), f)
    with open(f"{a.out}/summary.json", "w") as f:
        json.dump(stamp, f)
    print(f"platform TTS: {len(conditions)} conditions x {a.per_condition} utterances -> {a.out}")


if __name__ == "__main__":
    main()
