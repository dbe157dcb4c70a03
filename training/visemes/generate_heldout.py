"""Render the judging set: English speech by voices that no training utterance uses, with exact
phoneme timings, as WAV + JSON pairs for `npm run bench:visemes`.

Usage: generate_heldout.py OUT_DIR [--per-voice N]
Writes OUT_DIR/clean/ (the voices as the engines produce them), OUT_DIR/channel/ (the same
utterances through one seeded augment.augment chain: room, microphone, codec, noise, AGC),
OUT_DIR/8khz/ (the clean utterances sampled at 8 kHz, as telephony and old recordings come, and
back to 16 kHz: nothing above 4 kHz) and OUT_DIR/summary.json.

The voices are the ones the issue reserves for judging (built from recordings of real people):
flite's awb, rms and slt (flite -psdur prints every segment's end time in the waveform it writes)
and Festival's CMU ARCTIC HTS voice slt (utt.save.segs: segment end times). flite's kal/kal16 are
left out on purpose: they are the speaker of Festival's kal_diphone, which the model trains on.
Texts come from their own seeds ("heldout:i"), so no training sentence recurs.
"""
import argparse
import json
import os
import random
import subprocess
import tempfile
from collections import Counter

import numpy as np
from scipy import signal
from scipy.io import wavfile

import augment
import gen_text
from viseme_map import VISEMES, festival_visemes, segments_to_labels

FPS = 100
SPLITS = ("clean", "channel", "8khz")
# voice -> (engine, sex, speaker)
VOICES = {
    "flite:awb": ("flite", "male", "awb (Scottish English, CMU ARCTIC)"),
    "flite:rms": ("flite", "male", "rms (US English, CMU ARCTIC)"),
    "flite:slt": ("flite", "female", "slt (US English, CMU ARCTIC)"),
    "festival:cmu_us_slt_arctic_hts": ("festival", "female", "slt (US English, CMU ARCTIC), HTS statistical voice"),
}


def to_16k(path):
    sr, a = wavfile.read(path)
    x = a.astype(np.float32) / 32768
    if a.ndim > 1:
        x = x.mean(1)
    if sr != 16000:
        g = int(np.gcd(16000, sr))
        x = signal.resample_poly(x, 16000 // g, sr // g).astype(np.float32)
    return x


def flite(text, voice, d):
    """(audio, [(start_s, end_s, phone)]) from flite -psdur ("pau:0.220 hh:0.295 ...", end times)."""
    out = subprocess.run(["flite", "-voice", voice, "-psdur", "-t", text, "-o", f"{d}/f.wav"],
                         capture_output=True, text=True, check=True).stdout
    segs, prev = [], 0.0
    for tok in out.split():
        ph, _, end = tok.rpartition(":")
        if not ph:
            continue
        segs.append((prev, float(end), ph))
        prev = float(end)
    return to_16k(f"{d}/f.wav"), segs


def festival(texts, voice, d):
    lines = []
    for k, text in enumerate(texts):
        safe = text.replace('"', "").replace("\\", "")
        lines += [f"(voice_{voice})", f'(set! utt (utt.synth (Utterance Text "{safe}")))',
                  f'(utt.save.wave utt "{d}/{k}.wav" \'riff)', f'(utt.save.segs utt "{d}/{k}.segs")']
    with open(f"{d}/run.scm", "w") as f:
        f.write("\n".join(lines) + "\n")
    subprocess.run(["festival", "--batch", f"{d}/run.scm"], check=True, capture_output=True)
    out = []
    for k in range(len(texts)):
        segs, prev = [], 0.0
        for line in open(f"{d}/{k}.segs"):
            p = line.split()
            if len(p) == 3:
                segs.append((prev, float(p[0]), p[2]))
                prev = float(p[0])
        out.append((to_16k(f"{d}/{k}.wav"), segs))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--per-voice", type=int, default=40)
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    try:  # deterministic: a set already rendered with the same settings is reused
        old = json.load(open(f"{a.out}/summary.json"))
        if (old["seed"], old["per_voice"], sorted(old["voices"]), old.get("splits")) == (a.seed, a.per_voice, sorted(VOICES), list(SPLITS)):
            print(f"judging set in {a.out} is current, reused")
            return
    except (OSError, ValueError, KeyError):
        pass
    for s in SPLITS:
        os.makedirs(f"{a.out}/{s}", exist_ok=True)
    unmapped, counts = Counter(), Counter()
    for vi, (voice, (engine, sex, speaker)) in enumerate(VOICES.items()):
        texts = [gen_text.sentence(random.Random(f"heldout:{a.seed}:{vi}:{i}"), "en-us") for i in range(a.per_voice)]
        with tempfile.TemporaryDirectory() as d:
            if engine == "flite":
                rendered = [flite(t, voice.split(":")[1], d) for t in texts]
            else:
                rendered = festival(texts, voice.split(":")[1], d)
        for i, (text, (x, segs)) in enumerate(zip(texts, rendered)):
            mapped = []
            for s, e, ph in segs:
                vs = festival_visemes(ph)
                if vs is None:
                    unmapped[f"{voice}:{ph}"] += 1
                mapped.append((s, e, vs))
            name = f"{voice.replace(':', '-')}_{i:03d}"
            rng = np.random.default_rng([a.seed, vi, i])
            padded = np.concatenate([x, np.zeros(1600, np.float32)])
            for split in SPLITS:
                if split == "clean":
                    y, scale, pad0, ops = padded, 1.0, 0, []
                elif split == "8khz":
                    y, scale, pad0, ops = augment.sampled_at_8khz(padded), 1.0, 0, ["8khz"]
                else:
                    y, scale, pad0, ops = augment.augment(x, rng)
                shifted = [(s * scale + pad0 / 16000, e * scale + pad0 / 16000, vs) for s, e, vs in mapped]
                n = int(len(y) / 16000 * FPS)
                labels = segments_to_labels(shifted, n)
                wavfile.write(f"{a.out}/{split}/{name}.wav", 16000, (np.clip(y, -1, 1) * 32767).astype(np.int16))
                meta = dict(engine=engine, voice=voice, speaker=speaker, sex=sex, lang="en-us", text=text,
                            clean=split == "clean", ops=ops, seconds=round(len(y) / 16000, 3), fps=FPS,
                            labels=[VISEMES[k] if k >= 0 else None for k in labels])
                with open(f"{a.out}/{split}/{name}.json", "w") as f:
                    json.dump(meta, f)
            counts[voice] += 1
        print(f"{voice}: {counts[voice]} utterances", flush=True)
    summary = dict(voices={v: dict(engine=e, sex=s, speaker=sp, utterances=counts[v]) for v, (e, s, sp) in VOICES.items()},
                   unmapped=dict(unmapped), seed=a.seed, per_voice=a.per_voice, splits=list(SPLITS))
    with open(f"{a.out}/summary.json", "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary["unmapped"]))


if __name__ == "__main__":
    main()
