"""The viseme network: causal dilated 1-D convolutions over log-mel frames.

Causal convs with zero history make streaming exact: the streaming graph
keeps each layer's last inputs as a cache, starting from zeros, which is
what zero left-padding does in training. Lookahead comes only from
predicting frame t at output t + LOOKAHEAD, so latency is fixed and known.

The width and dilations are arguments (saved with the weights) so that
training runs can compare sizes; the defaults are the shipped model's.
"""
import torch
from torch import nn
import torch.nn.functional as F

N_MELS, N_VISEMES = 40, 15
CHANNELS = 150
DILATIONS = (1, 2, 4, 8, 16, 1, 2)
KERNEL = 3
LOOKAHEAD = 6  # frames of 10 ms; plus half a 25 ms window = 72.5 ms of audio lookahead
SILENCE_FEATURE = -13.815510557964274  # log(1e-6): a frame of digital silence
DROPOUT = 0.1


def dropout(x, p, training):
    """Inverted dropout, with the keep mask drawn as 16-bit integers, four to each 64-bit draw.

    torch's CPU dropout draws one Bernoulli sample per element from its serial generator: with
    seven layers that was about a quarter of a training step on two cores (a [24, 128, 500] mask
    took 20 ms; this one takes 4.5 ms). The mask has the same distribution (keep probability
    1 - p, to 1/65536) and comes from the same seeded global generator, so runs stay repeatable.
    """
    if not training or p == 0:
        return x
    n = x.numel()
    draws = torch.randint(-2**63, 2**63 - 1, ((n + 3) // 4,), dtype=torch.int64, device=x.device)
    keep = draws.view(torch.int16)[:n].view(x.shape) >= round(-32768 + p * 65536)
    return torch.where(keep, x * (1.0 / (1.0 - p)), 0.0)


class VisemeNet(nn.Module):
    def __init__(self, mean=None, std=None, channels=CHANNELS, dilations=DILATIONS, p_dropout=DROPOUT):
        super().__init__()
        self.p_dropout = float(p_dropout)  # training only; the exported graph has no dropout
        self.channels, self.dilations = int(channels), tuple(int(d) for d in dilations)
        self.register_buffer("mean", torch.zeros(N_MELS) if mean is None else torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.ones(N_MELS) if std is None else torch.as_tensor(std, dtype=torch.float32))
        c = self.channels
        self.inp = nn.Conv1d(N_MELS, c, KERNEL)
        self.inp_bn = nn.BatchNorm1d(c)
        self.convs = nn.ModuleList(nn.Conv1d(c, c, KERNEL, dilation=d) for d in self.dilations)
        self.bns = nn.ModuleList(nn.BatchNorm1d(c) for _ in self.dilations)
        self.head = nn.Conv1d(c, N_VISEMES, 1)

    def config(self):
        return dict(channels=self.channels, dilations=list(self.dilations))

    def reaches(self):
        return [KERNEL - 1] + [(KERNEL - 1) * d for d in self.dilations]

    def forward(self, feats):
        """feats [B, T, 40] -> logits [B, T, 15] (causal: output t sees inputs <= t)."""
        x = ((feats - self.mean) / self.std).transpose(1, 2)
        r = self.reaches()
        x = F.relu(self.inp_bn(self.inp(F.pad(x, (r[0], 0)))))
        for conv, bn, reach in zip(self.convs, self.bns, r[1:]):
            x = x + dropout(F.relu(bn(conv(F.pad(x, (reach, 0))))), self.p_dropout, self.training)
        return self.head(x).transpose(1, 2)


def _fold(conv, bn):
    s = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    w = conv.weight * s[:, None, None]
    b = (conv.bias - bn.running_mean) * s + bn.bias
    return w.detach(), b.detach()


class StreamingNet(nn.Module):
    """The exported graph: new frames + one packed state in, probabilities + next state out.

    Every layer's history (channels x reach) is packed into a single flat
    tensor [1, 1, S]: one state tensor instead of one per layer, because
    each extra graph input and output costs onnxruntime a fixed overhead per
    run, and a live stream runs the graph every 100 ms or more often.
    """

    def __init__(self, net):
        super().__init__()
        self.register_buffer("mean", net.mean.clone())
        self.register_buffer("inv_std", 1.0 / net.std.clone())
        folded = [_fold(net.inp, net.inp_bn)] + [_fold(c, b) for c, b in zip(net.convs, net.bns)]
        self.weights = nn.ParameterList(nn.Parameter(w, requires_grad=False) for w, _ in folded)
        self.biases = nn.ParameterList(nn.Parameter(b, requires_grad=False) for _, b in folded)
        self.dils = [1] + list(net.dilations)
        self.reach = net.reaches()
        self.shapes = [(N_MELS if i == 0 else net.channels, r) for i, r in enumerate(self.reach)]
        self.head_w = nn.Parameter(net.head.weight.detach(), requires_grad=False)
        self.head_b = nn.Parameter(net.head.bias.detach(), requires_grad=False)

    def state_size(self):
        return sum(c * r for c, r in self.shapes)

    def forward(self, feats, state):
        x = ((feats - self.mean) * self.inv_std).transpose(1, 2)
        new, off = [], 0
        for i, (w, b, d, (c, r)) in enumerate(zip(self.weights, self.biases, self.dils, self.shapes)):
            cache = state[:, :, off: off + c * r].reshape(1, c, r)
            off += c * r
            full = torch.cat([cache, x], dim=2)
            new.append(full[:, :, -r:].reshape(1, 1, c * r))
            y = F.relu(F.conv1d(full, w, b, dilation=d))
            x = y if i == 0 else x + y
        probs = torch.softmax(F.conv1d(x, self.head_w, self.head_b), dim=1).transpose(1, 2)
        # pairwise, not one Concat of every layer: onnxruntime-web's WebGPU provider gave wrong
        # values for the 8-input Concat (likely WebGPU's default of 8 storage buffers per shader
        # stage: 8 inputs + 1 output). The exporter fuses part of the tree back into one 5-input
        # Concat, which the e2e WebGPU test checks; export.py refuses anything wider.
        while len(new) > 1:
            new = [torch.cat(new[i: i + 2], dim=2) if i + 1 < len(new) else new[i] for i in range(0, len(new), 2)]
        return probs, new[0]
