"""Copy a small fixed sample of validation utterances to training/visemes/fixtures/eval/
(WAV + labels) so CI can evaluate the shipped model without training data.
Deterministic: short utterances, spread over engines and languages, a clean one first."""
import glob
import json
import os
import shutil
import sys

from scipy.io import wavfile


def main(val_wav, out_dir, count=8, max_seconds=3.2):
    items = []
    for j in sorted(glob.glob(f"{val_wav}/*.json")):
        meta = json.load(open(j))
        if meta["seconds"] <= max_seconds:
            items.append((j[:-5], meta))
    picked, langs = [], set()
    # a few clean utterances, the rest augmented like the validation set
    for clean_first, upto in ((True, count // 4), (False, count)):
        for base, meta in items:
            key = (meta["engine"], meta["lang"])
            if len(picked) < upto and key not in langs and (meta.get("clean") or not clean_first):
                picked.append((base, meta))
                langs.add(key)
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    for base, meta in picked:
        name = os.path.basename(base)
        shutil.copy(base + ".wav", f"{out_dir}/{name}.wav")
        keep = {k: meta[k] for k in ("lang", "engine", "voice", "clean", "ops", "seconds", "fps", "labels", "text")}
        with open(f"{out_dir}/{name}.json", "w") as f:
            json.dump(keep, f, ensure_ascii=False)
    total = sum(wavfile.read(f"{out_dir}/{os.path.basename(b)}.wav")[1].size for b, _ in picked) / 16000
    print(f"eval sample: {len(picked)} utterances, {total:.1f} s -> {out_dir}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
