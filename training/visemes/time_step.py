"""Times one training step of the shipped network on this machine, with torch's dropout and with
model.dropout, so a change to the training loop can be weighed before a full run:

    python3 training/visemes/time_step.py [--threads 2] [--channels 150] [--steps 8]

A step is the one train.py takes: forward, the two losses, backward, clipping and AdamW, on a
synthetic batch of 24 x 500 frames (12,000, train.py's --batch-frames).
"""
import argparse
import time

import torch
import torch.nn.functional as F

import model as M
import train as T


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--channels", type=int, default=M.CHANNELS)
    ap.add_argument("--steps", type=int, default=8)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(7)
    net = M.VisemeNet(channels=a.channels)
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3)
    x = torch.randn(24, 500, M.N_MELS)
    y = torch.randint(0, M.N_VISEMES, (24, 500))

    def step():
        loss = T.training_loss(net(x), y, coarse_weight=1.0)  # train.sh's VISEMES_COARSE_WEIGHT
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
        opt.step()

    ours = M.dropout
    variants = {"torch F.dropout": lambda t, p, training: F.dropout(t, p, training), "model.dropout": ours}
    times = {k: [] for k in variants}
    for _ in range(2):  # interleaved, so a noisy neighbour slows both alike
        for name, fn in variants.items():
            M.dropout = fn
            step()
            t0 = time.perf_counter()
            for _ in range(a.steps):
                step()
            times[name].append((time.perf_counter() - t0) / a.steps)
    M.dropout = ours
    frames = x.shape[0] * x.shape[1]
    print(f"{a.channels} channels, {a.threads} threads, {frames} frames per step")
    for name, ts in times.items():
        best = min(ts)
        print(f"{name:>16}: {1000 * best:.0f} ms per step, {best / frames * 7.8e6:.0f} s per epoch of the shipped corpus (7.8M frames)")


if __name__ == "__main__":
    main()
