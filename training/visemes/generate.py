"""Generate the training and validation corpus: synthesise, label, augment, featurise.

Usage: generate.py OUT_DIR --texts N --renditions R --seed S [--jobs J]
Writes OUT_DIR/{train,val}/NNNNNN_R.npz (feats float16 [T,40], labels int8 [T],
segs: JSON [[start_s, end_s, phoneme], ...] so labels can be re-derived from a new table),
OUT_DIR/val_wav/*.wav + *.json (audio and labels for the benchmark),
OUT_DIR/calib_wav/ (5% of training audio, to calibrate the wlipsync baseline) and
OUT_DIR/summary.json (counts, languages, phonemes seen, unmapped symbols).
Validation is chosen per text (every 10th text), so no sentence is shared.
Every text draws from its own seeded generators and texts are processed in
fixed chunks, so the corpus is the same whatever --jobs is.
"""
import argparse
import json
import multiprocessing
import os
import random
import subprocess
import tempfile
import time
from collections import Counter, defaultdict

import numpy as np
from scipy import signal
from scipy.io import wavfile

import augment
import espeak_events
import features
import gen_text
from viseme_map import VISEMES, espeak_visemes, festival_visemes, is_modifier, segments_to_labels

FPS = 100
VARIANTS = ("m1 m2 m3 m4 m5 m6 m7 m8 f1 f2 f3 f4 f5 klatt klatt2 klatt3 klatt4 klatt6 croak adam anika "
            "belinda benjamin caleb david edward grandpa iven john linda max michel paul pedro rob "
            "robert steph quincy zac whisper").split()
LANG_WEIGHTS = {"en-us": 5, "en": 3, **{k: 1 for k in gen_text.LANGS}}


def espeak_item(text, lang, rng, seen, unmapped, phones):
    voice = gen_text.VOICE[lang] + "+" + rng.choice(VARIANTS)
    params = dict(rate=rng.randint(110, 280), pitch=rng.randint(15, 90), prange=rng.randint(10, 100))
    audio, ev = espeak_events.synth(text, voice, **params)
    sr = espeak_events.SAMPLE_RATE
    ev = [(s, p) for s, p in ev if not is_modifier(p)]
    segs = []
    for i, (start, ph) in enumerate(ev):
        end = ev[i + 1][0] if i + 1 < len(ev) else len(audio)
        if end <= start:
            continue
        vs = espeak_visemes(ph)
        seen[lang].add(ph)
        if vs is None:
            unmapped[f"{lang}:{ph}"] += 1
        segs.append((start / sr, end / sr, vs))
        phones.append(ph)
    x = signal.resample_poly(audio.astype(np.float32) / 32768, 320, 441).astype(np.float32)
    return x, segs, dict(engine="espeak-ng", voice=voice, **params)


def festival_batch(jobs, seen, unmapped):
    """jobs: [(key, text, rng)] -> {key: (x, segs, meta, phones)}, one festival process for the batch."""
    out = {}
    with tempfile.TemporaryDirectory() as d:
        lines, metas = [], {}
        for key, text, rng in jobs:
            voice = rng.choice(["kal_diphone", "ked_diphone"])
            f0, sd, stretch = rng.randint(70, 190), rng.randint(5, 35), rng.uniform(0.75, 1.35)
            safe = text.replace('"', "").replace("\\", "")
            lines += [f"(voice_{voice})",
                      f"(set! int_lr_params (list (list 'target_f0_mean {f0}) (list 'target_f0_std {sd}) (list 'model_f0_mean 170) (list 'model_f0_std 34)))",
                      f"(Parameter.set 'Duration_Stretch {stretch:.3f})",
                      f'(set! utt (utt.synth (Utterance Text "{safe}")))',
                      f'(utt.save.wave utt "{d}/{key}.wav" \'riff)',
                      f'(utt.save.segs utt "{d}/{key}.segs")']
            metas[key] = dict(engine="festival", voice=voice, f0=f0, stretch=round(stretch, 3))
        with open(f"{d}/run.scm", "w") as f:
            f.write("\n".join(lines) + "\n")
        subprocess.run(["festival", "--batch", f"{d}/run.scm"], check=True, capture_output=True)
        for key, _, _ in jobs:
            sr, a = wavfile.read(f"{d}/{key}.wav")
            x = a.astype(np.float32) / 32768
            if sr != 16000:
                x = signal.resample_poly(x, 16000, sr).astype(np.float32)
            segs, phones, prev = [], [], 0.0
            for line in open(f"{d}/{key}.segs"):
                p = line.split()
                if len(p) != 3:
                    continue
                end, ph = float(p[0]), p[2]
                vs = festival_visemes(ph)
                seen["festival"].add(ph)
                if vs is None:
                    unmapped[f"festival:{ph}"] += 1
                segs.append((prev, end, vs))
                phones.append(ph)
                prev = end
            out[key] = (x, segs, metas[key], phones)
    return out


def finish(key, split, x, segs, phones, meta, rng, out_dir, babble, clean):
    if clean:
        y, scale, pad0, ops = x, 1.0, 0, []
        y = np.concatenate([y, np.zeros(1600, np.float32)])
    else:
        y, scale, pad0, ops = augment.augment(x, rng, babble)
    shifted = [(s * scale + pad0 / 16000, e * scale + pad0 / 16000, vs) for s, e, vs in segs]
    feats = features.log_mel(y)
    labels = segments_to_labels(shifted, len(feats))
    seg_json = json.dumps([[round(s, 5), round(e, 5), ph] for (s, e, _), ph in zip(shifted, phones)], ensure_ascii=False)
    np.savez(f"{out_dir}/{split}/{key}.npz", feats=feats.astype(np.float16), labels=labels, segs=np.array(seg_json),
             engine=np.array(meta["engine"]))
    meta = dict(meta, ops=ops, seconds=round(len(y) / 16000, 3))
    # all validation audio (benchmark) and 1 in 20 training texts (calibrating the wlipsync baseline)
    wav_dir = "val_wav" if split == "val" else "calib_wav" if int(key[:6]) % 20 == 0 else None
    if wav_dir:
        wavfile.write(f"{out_dir}/{wav_dir}/{key}.wav", 16000, (y * 32767).astype(np.int16))
        with open(f"{out_dir}/{wav_dir}/{key}.json", "w") as f:
            json.dump(dict(meta, fps=FPS, labels=[VISEMES[i] if i >= 0 else None for i in labels]), f)
    return meta


CHUNK = 50  # texts per work unit; fixed so the corpus does not depend on --jobs


def run_chunk(args):
    """Synthesise, augment and save texts [lo, hi); returns counts for the summary."""
    out_dir, lo, hi, renditions, seed = args
    seen, unmapped, counts, seconds = defaultdict(set), Counter(), Counter(), Counter()
    langs, weights = zip(*LANG_WEIGHTS.items())
    babble, fest_jobs = None, []
    for i in range(lo, hi):
        rng = random.Random(f"{seed}:{i}")
        nrng = np.random.default_rng([seed, i])
        lang = rng.choices(langs, weights)[0]
        text = gen_text.sentence(rng, lang)
        split = "val" if i % 10 == 9 else "train"
        for r in range(renditions):
            key = f"{i:06d}_{r}"
            # the first rendition of every 4th validation text stays clean, to report clean and noisy accuracy
            clean = split == "val" and r == 0 and i % 40 == 9
            if lang in ("en", "en-us") and rng.random() < 0.4:
                fest_jobs.append((key, text, split, lang, clean, random.Random(rng.random()), np.random.default_rng(nrng.integers(1 << 62))))
                continue
            phones = []
            x, segs, meta = espeak_item(text, lang, rng, seen, unmapped, phones)
            m = finish(key, split, x, segs, phones, dict(meta, lang=lang, text=text, clean=clean), nrng, out_dir, babble, clean)
            babble = x
            counts[(split, lang)] += 1
            seconds[split] += m["seconds"]
    if fest_jobs:
        res = festival_batch([(k, t, frng) for k, t, _, _, _, frng, _ in fest_jobs], seen, unmapped)
        for k, t, split_, lang_, clean_, _, fnrng in fest_jobs:
            x, segs, meta, phones = res[k]
            m = finish(k, split_, x, segs, phones, dict(meta, lang=lang_, text=t, clean=clean_), fnrng, out_dir, babble, clean_)
            counts[(split_, "en-festival")] += 1
            seconds[split_] += m["seconds"]
    return seen, unmapped, counts, seconds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--texts", type=int, default=2000)
    ap.add_argument("--renditions", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    for s in ("train", "val", "val_wav", "calib_wav"):
        os.makedirs(f"{a.out}/{s}", exist_ok=True)
    t0 = time.time()
    seen, unmapped, counts, seconds = defaultdict(set), Counter(), Counter(), Counter()
    work = [(a.out, lo, min(lo + CHUNK, a.texts), a.renditions, a.seed) for lo in range(0, a.texts, CHUNK)]
    with multiprocessing.Pool(a.jobs) as pool:
        for n, (se, un, co, sec) in enumerate(pool.imap_unordered(run_chunk, work), 1):
            for k, v in se.items():
                seen[k] |= v
            unmapped.update(un)
            counts.update(co)
            seconds.update(sec)
            print(f"chunk {n}/{len(work)}", flush=True)
    summary = dict(
        texts=a.texts, renditions=a.renditions, seed=a.seed, jobs=a.jobs, seconds=round(time.time() - t0),
        utterances={s: sum(v for (sp, _), v in counts.items() if sp == s) for s in ("train", "val")},
        hours={s: round(v / 3600, 3) for s, v in seconds.items()},
        per_language={f"{sp}/{l}": v for (sp, l), v in sorted(counts.items())},
        phonemes_seen={k: sorted(v) for k, v in seen.items()},
        unmapped=dict(unmapped.most_common()),
    )
    with open(f"{a.out}/summary.json", "w") as f:
        json.dump(summary, f, indent=1, ensure_ascii=False)
    print(json.dumps({k: summary[k] for k in ("utterances", "hours", "unmapped")}, ensure_ascii=False))


if __name__ == "__main__":
    main()
