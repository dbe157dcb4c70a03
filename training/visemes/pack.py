"""Pack a generated corpus into a few compressed shards, to train elsewhere (a GPU machine).

Usage: pack.py DATA_DIR OUT_DIR [--shards N]
Writes OUT_DIR/{train,val}-K.pack.xz: an xz-compressed npz with feats uint8
[frames, 40] (log-mel quantised in 0.1 steps from -14, i.e. below the noise
the augmentations add), labels int8 (re-derived from the phoneme segments
with the current tables) and per-utterance lengths. train.py reads these
shards when DATA_DIR holds no train/ folder.
"""
import argparse
import glob
import io
import lzma
import os

import numpy as np

from train import load

Q_MIN, Q_STEP = -14.0, 0.1


def quantise(f):
    return np.clip(np.round((f - Q_MIN) / Q_STEP), 0, 255).astype(np.uint8)


def dequantise(q):
    return q.astype(np.float32) * Q_STEP + Q_MIN


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("--shards", type=int, default=2)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for split, shards in (("train", a.shards), ("val", 1)):
        items = load(f"{a.data}/{split}")
        for k in range(shards):
            part = items[k::shards]
            buf = io.BytesIO()
            np.savez(buf, feats=quantise(np.concatenate([f.numpy() for f, _ in part])),
                     labels=np.concatenate([l.numpy() for _, l in part]).astype(np.int8),
                     lengths=np.array([len(f) for f, _ in part], np.int64))
            path = f"{a.out}/{split}-{k}.pack.xz"
            with open(path, "wb") as f:
                f.write(lzma.compress(buf.getvalue(), preset=6))
            print(path, len(part), "utterances", os.path.getsize(path) // 1024, "KiB", flush=True)


def load_packed(data, split):
    """[(feats float32 [T, 40], labels int64 [T])] from DATA/{split}-*.pack.xz."""
    import torch
    items = []
    for path in sorted(glob.glob(f"{data}/{split}-*.pack.xz")):
        with open(path, "rb") as f:
            z = np.load(io.BytesIO(lzma.decompress(f.read())))
        feats, labels, off = dequantise(z["feats"]), z["labels"].astype(np.int64), 0
        for n in z["lengths"]:
            items.append((torch.from_numpy(feats[off: off + n]), torch.from_numpy(labels[off: off + n])))
            off += n
    return items


if __name__ == "__main__":
    main()
