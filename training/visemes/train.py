"""Train VisemeNet on DATA_DIR/{train,val}; writes OUT/model.pt and OUT/train-metrics.json.

Whole utterances are batched by length; output t + LOOKAHEAD is trained to
name frame t. Labels are re-derived from each file's phoneme segments with
the current viseme_map tables, so a table fix needs no new audio. Runs on
CPU (--threads) or on a CUDA GPU when one is present (--device).
"""
import argparse
import glob
import json
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F

from feature_augment import FeatureAugment
from model import CHANNELS, DILATIONS, DROPOUT, LOOKAHEAD, N_VISEMES, SILENCE_FEATURE, VisemeNet
from viseme_map import VISEMES, espeak_visemes, festival_visemes, segments_to_labels
from weight_average import WeightAverage, refresh_batchnorm

# coarse mouth-shape groups (documented in docs/visemes.md): closed, narrow consonant, open vowel, rounded
COARSE = {"sil": 0, "PP": 0, "FF": 1, "TH": 1, "DD": 1, "kk": 1, "CH": 1, "SS": 1, "nn": 1, "RR": 1,
          "aa": 2, "E": 2, "I": 2, "O": 3, "U": 3}
COARSE_OF = torch.tensor([COARSE[v] for v in VISEMES])


def relabel(segs, n_frames, festival, phoneset="radio"):
    """Frame labels from [[start_s, end_s, phoneme]] with the current tables (espeak-ng and MBROLA
    events use espeak mnemonics; Festival phones are read in their voice's phone set)."""
    if festival:
        return segments_to_labels([(s, e, festival_visemes(ph, phoneset)) for s, e, ph in segs], n_frames).astype(np.int64)
    return segments_to_labels([(s, e, espeak_visemes(ph)) for s, e, ph in segs], n_frames).astype(np.int64)


def load(split_dir):
    items = []
    for p in sorted(glob.glob(f"{split_dir}/*.npz")):
        z = np.load(p)
        feats = z["feats"].astype(np.float32)
        if "segs" in z:
            segs = json.loads(str(z["segs"]))
            # older corpora lack "engine"; Festival utterances always hold 'pau', espeak never does
            engine = str(z["engine"]) if "engine" in z else ("festival" if any(ph == "pau" for _, _, ph in segs) else "espeak-ng")
            festival = engine.startswith("festival")
            labels = relabel(segs, len(feats), festival, engine.split(":")[1] if ":" in engine else "radio")
        else:
            labels = z["labels"].astype(np.int64)
        items.append((torch.from_numpy(feats), torch.from_numpy(labels)))
    return items


def batches(items, max_frames, shuffle, rng, aug=None):
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
            x[j, : len(f)] = f if aug is None else torch.from_numpy(aug(f.numpy()))
            y[j, LOOKAHEAD: LOOKAHEAD + len(l)] = l
        yield x, y


def coarse_logits(logits):
    """[.., 15] viseme logits -> [.., 4] coarse-group log-probabilities (logsumexp within a group)."""
    logp = torch.log_softmax(logits, -1)
    idx = COARSE_OF.to(logits.device)
    return torch.stack([torch.logsumexp(logp[..., idx == g], -1) for g in range(int(idx.max()) + 1)], -1)


def training_loss(logits, y, coarse_weight):
    """Label-smoothed cross-entropy on the 15 visemes, plus coarse_weight x the coarse-group loss (-1: unscored)."""
    loss = F.cross_entropy(logits.reshape(-1, N_VISEMES), y.reshape(-1), ignore_index=-1, label_smoothing=0.05)
    if coarse_weight:
        m = y >= 0
        loss = loss + coarse_weight * F.nll_loss(coarse_logits(logits[m]), COARSE_OF.to(logits.device)[y[m]])
    return loss


def group_first(logits):
    """The decision the engine makes: the most likely coarse group, then the most likely viseme in it."""
    group = coarse_logits(logits).argmax(-1, keepdim=True)
    inside = COARSE_OF.to(logits.device) == group
    return logits.masked_fill(~inside, float("-inf")).argmax(-1)


def evaluate(net, items, device):
    """Frame accuracy and coarse accuracy of the argmax viseme; and of the group-first decision."""
    net.eval()
    hit = hit_c = hit_g = hit_gv = n = 0
    idx = COARSE_OF.to(device)
    with torch.no_grad():
        for x, y in batches(items, 40000, False, None):
            x, y = x.to(device), y.to(device)
            logits = net(x)
            pred = logits.argmax(-1)
            gpred = group_first(logits)
            m = y >= 0
            hit += (pred[m] == y[m]).sum().item()
            hit_c += (idx[pred[m]] == idx[y[m]]).sum().item()
            hit_g += (idx[gpred[m]] == idx[y[m]]).sum().item()
            hit_gv += (gpred[m] == y[m]).sum().item()
            n += m.sum().item()
    net.train()
    return hit / max(n, 1), hit_c / max(n, 1), hit_g / max(n, 1), hit_gv / max(n, 1)


def val_scores(acc, acc_c, acc_g, acc_gv):
    """evaluate()'s four figures as the history (and the averaged model) records them."""
    return dict(val_acc=round(acc, 4), val_coarse=round(acc_c, 4),
                val_acc_group_first=round(acc_gv, 4), val_coarse_group_first=round(acc_g, 4))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--batch-frames", type=int, default=12000)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--channels", type=int, default=CHANNELS)
    ap.add_argument("--dilations", default=",".join(map(str, DILATIONS)))
    ap.add_argument("--dropout", type=float, default=DROPOUT, help="dropout after each dilated layer (training only)")
    ap.add_argument("--coarse-weight", type=float, default=0.0, help="weight of an extra loss on the coarse groups")
    ap.add_argument("--feature-augment", type=float, default=1.0,
                    help="scale of the per-epoch log-mel augmentations (feature_augment.py); 0 turns them off")
    ap.add_argument("--average-last", type=int, default=0,
                    help="also try the mean of the weights of the last N epochs (weight_average.py); kept if better on validation")
    ap.add_argument("--train-limit", type=int, default=0, help="use only the first N training files (quick comparisons)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)
    dev = torch.device(a.device)
    t0 = time.time()
    if os.path.isdir(f"{a.data}/train"):
        train, val = load(f"{a.data}/train"), load(f"{a.data}/val")
    else:  # shards written by pack.py
        from pack import load_packed
        train, val = load_packed(a.data, "train"), load_packed(a.data, "val")
    if a.train_limit:
        train = train[: a.train_limit]
    allf = torch.cat([f for f, _ in train])
    dilations = [int(d) for d in a.dilations.split(",")]
    net = VisemeNet(allf.mean(0), allf.std(0) + 1e-3, channels=a.channels, dilations=dilations,
                    p_dropout=a.dropout).to(dev)
    labels = torch.cat([l for _, l in train])
    freq = torch.bincount(labels[labels >= 0], minlength=N_VISEMES).float()
    params = sum(p.numel() for p in net.parameters())
    print(f"train {len(train)} utt {len(allf)} frames, val {len(val)} utt; {params} params; load {time.time() - t0:.0f}s", flush=True)
    opt = torch.optim.AdamW(net.parameters(), lr=a.lr, weight_decay=1e-4)
    steps = a.epochs * sum(1 for _ in batches(train, a.batch_frames, False, None))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=steps, pct_start=0.1)
    best, history = -1.0, []
    fa = a.feature_augment
    aug = FeatureAugment(a.seed, p_warp=0.5 * fa, p_colour=0.5 * fa, p_mask=0.3 * fa) if fa > 0 else None
    average, best_epoch = WeightAverage(), 0
    for ep in range(a.epochs):
        te, tot, nb = time.time(), 0.0, 0
        for x, y in batches(train, a.batch_frames, True, rng, aug):
            x, y = x.to(dev), y.to(dev)
            loss = training_loss(net(x), y, a.coarse_weight)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            sched.step()
            tot, nb = tot + loss.item(), nb + 1
        acc, acc_c, acc_g, acc_gv = evaluate(net, val, dev)
        history.append(dict(epoch=ep + 1, loss=round(tot / nb, 4), **val_scores(acc, acc_c, acc_g, acc_gv),
                            seconds=round(time.time() - te, 1)))
        print(json.dumps(history[-1]), flush=True)
        # keep the epoch that is best on both measures together
        if acc + acc_c > best:
            best, best_epoch = acc + acc_c, ep + 1
            torch.save(dict(config=net.config(), weights=net.state_dict()), f"{a.out}/model.pt")
        if a.average_last and ep >= a.epochs - a.average_last:
            average.add(net)
    kept = f"epoch {best_epoch}"
    averaged = None
    if average.count:
        first = a.epochs - average.count + 1
        average.copy_into(net)
        refresh_batchnorm(net, batches(train, a.batch_frames, True, random.Random(a.seed), aug))
        acc, acc_c, acc_g, acc_gv = evaluate(net, val, dev)
        averaged = dict(epochs=[first, a.epochs], **val_scores(acc, acc_c, acc_g, acc_gv))
        print(json.dumps(dict(averaged=averaged)), flush=True)
        # the same rule as for single epochs: the average competes with the best epoch on the validation voices
        if acc + acc_c > best:
            best, kept = acc + acc_c, f"mean of epochs {first}-{a.epochs}"
            torch.save(dict(config=net.config(), weights=net.state_dict()), f"{a.out}/model.pt")
    net.load_state_dict(torch.load(f"{a.out}/model.pt")["weights"])
    acc, acc_c, acc_g, acc_gv = evaluate(net, val, dev)
    metrics = dict(val_frame_accuracy=round(acc, 4), val_coarse_accuracy=round(acc_c, 4),
                   val_frame_accuracy_group_first=round(acc_gv, 4), val_coarse_accuracy_group_first=round(acc_g, 4),
                   epochs=a.epochs, kept=kept, averaged=averaged, config=net.config(), coarse_weight=a.coarse_weight, dropout=a.dropout, feature_augment=fa, device=str(dev), threads=a.threads,
                   train_frames=len(allf), train_utterances=len(train), val_utterances=len(val),
                   class_frequency={v: int(c) for v, c in zip(VISEMES, freq)}, history=history,
                   params=params, seconds=round(time.time() - t0, 1))
    with open(f"{a.out}/train-metrics.json", "w") as f:
        json.dump(metrics, f, indent=1)
    print(json.dumps({k: metrics[k] for k in ("val_frame_accuracy", "val_coarse_accuracy", "val_frame_accuracy_group_first",
                                         "val_coarse_accuracy_group_first", "params", "seconds")}))


if __name__ == "__main__":
    main()
