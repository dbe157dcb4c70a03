"""Train VisemeNet on DATA_DIR/{train,val}; writes OUT/model.pt and OUT/train-metrics.json.

One CPU thread by design (shared 2-core machine). Whole utterances are
batched by length; output t + LOOKAHEAD is trained to name frame t.
"""
import argparse
import glob
import json
import math
import random
import time

import numpy as np
import torch
import torch.nn.functional as F

from model import LOOKAHEAD, N_VISEMES, SILENCE_FEATURE, VisemeNet
from viseme_map import VISEMES

# coarse mouth-shape groups (documented in docs/visemes.md): closed, narrow consonant, open vowel, rounded
COARSE = {"sil": 0, "PP": 0, "FF": 1, "TH": 1, "DD": 1, "kk": 1, "CH": 1, "SS": 1, "nn": 1, "RR": 1,
          "aa": 2, "E": 2, "I": 2, "O": 3, "U": 3}
COARSE_OF = torch.tensor([COARSE[v] for v in VISEMES])


def load(split_dir):
    items = []
    for p in sorted(glob.glob(f"{split_dir}/*.npz")):
        z = np.load(p)
        items.append((torch.from_numpy(z["feats"].astype(np.float32)), torch.from_numpy(z["labels"].astype(np.int64))))
    return items


def batches(items, max_frames, shuffle, rng):
    order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
    groups, cur, longest = [], [], 0
    for i in order:
        longest = max(longest, len(items[i][0]) + LOOKAHEAD)
        if cur and longest * (len(cur) + 1) > max_frames:
            groups.append(cur)
            cur, longest = [], len(items[i][0]) + LOOKAHEAD
        cur.append(i)
    if cur:
        groups.append(cur)
    if shuffle:
        rng.shuffle(groups)
    for g in groups:
        t = max(len(items[i][0]) for i in g) + LOOKAHEAD
        x = torch.full((len(g), t, items[g[0]][0].shape[1]), SILENCE_FEATURE)
        y = torch.full((len(g), t), -1, dtype=torch.long)
        for j, i in enumerate(g):
            f, l = items[i]
            x[j, : len(f)] = f
            y[j, LOOKAHEAD: LOOKAHEAD + len(l)] = l
        yield x, y


def evaluate(net, items):
    net.eval()
    hit = hit_c = n = 0
    with torch.no_grad():
        for x, y in batches(items, 40000, False, None):
            pred = net(x).argmax(-1)
            m = y >= 0
            hit += (pred[m] == y[m]).sum().item()
            hit_c += (COARSE_OF[pred[m]] == COARSE_OF[y[m]]).sum().item()
            n += m.sum().item()
    net.train()
    return hit / max(n, 1), hit_c / max(n, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--batch-frames", type=int, default=12000)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)
    t0 = time.time()
    train, val = load(f"{a.data}/train"), load(f"{a.data}/val")
    allf = torch.cat([f for f, _ in train])
    net = VisemeNet(allf.mean(0), allf.std(0) + 1e-3)
    labels = torch.cat([l for _, l in train])
    freq = torch.bincount(labels[labels >= 0], minlength=N_VISEMES).float()
    print(f"train {len(train)} utt {len(allf)} frames, val {len(val)} utt; load {time.time() - t0:.0f}s", flush=True)
    opt = torch.optim.AdamW(net.parameters(), lr=a.lr, weight_decay=1e-4)
    steps = a.epochs * sum(1 for _ in batches(train, a.batch_frames, False, None))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=steps, pct_start=0.1)
    best, history = -1.0, []
    for ep in range(a.epochs):
        te, tot, nb = time.time(), 0.0, 0
        for x, y in batches(train, a.batch_frames, True, rng):
            loss = F.cross_entropy(net(x).reshape(-1, N_VISEMES), y.reshape(-1), ignore_index=-1, label_smoothing=0.05)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            sched.step()
            tot, nb = tot + loss.item(), nb + 1
        acc, acc_c = evaluate(net, val)
        history.append(dict(epoch=ep + 1, loss=round(tot / nb, 4), val_acc=round(acc, 4), val_coarse=round(acc_c, 4), seconds=round(time.time() - te, 1)))
        print(json.dumps(history[-1]), flush=True)
        if acc > best:
            best = acc
            torch.save(net.state_dict(), f"{a.out}/model.pt")
    net.load_state_dict(torch.load(f"{a.out}/model.pt"))
    acc, acc_c = evaluate(net, val)
    metrics = dict(val_frame_accuracy=round(acc, 4), val_coarse_accuracy=round(acc_c, 4), epochs=a.epochs,
                   train_frames=len(allf), train_utterances=len(train), val_utterances=len(val),
                   class_frequency={v: int(c) for v, c in zip(VISEMES, freq)}, history=history,
                   params=sum(p.numel() for p in net.parameters()), seconds=round(time.time() - t0, 1))
    with open(f"{a.out}/train-metrics.json", "w") as f:
        json.dump(metrics, f, indent=1)
    print(json.dumps({k: metrics[k] for k in ("val_frame_accuracy", "val_coarse_accuracy", "params", "seconds")}))


if __name__ == "__main__":
    main()
