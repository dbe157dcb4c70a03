"""The viseme network: causal dilated 1-D convolutions over log-mel frames.

Causal convs with zero history make streaming exact: the streaming graph
keeps each layer's last inputs as a cache, starting from zeros, which is
what zero left-padding does in training. Lookahead comes only from
predicting frame t at output t + LOOKAHEAD, so latency is fixed and known.
"""
import torch
from torch import nn
import torch.nn.functional as F

N_MELS, N_VISEMES = 40, 15
CHANNELS = 64  # 96 measured ~2x over the browser CPU budget (onnxruntime-web WASM); 64 costs ~95k MAC per frame
DILATIONS = (1, 2, 4, 8, 16, 1, 2)
KERNEL = 3
LOOKAHEAD = 6  # frames of 10 ms; plus half a 25 ms window = 72.5 ms of audio lookahead
SILENCE_FEATURE = -13.815510557964274  # log(1e-6): a frame of digital silence


class VisemeNet(nn.Module):
    def __init__(self, mean=None, std=None):
        super().__init__()
        self.register_buffer("mean", torch.zeros(N_MELS) if mean is None else torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.ones(N_MELS) if std is None else torch.as_tensor(std, dtype=torch.float32))
        self.inp = nn.Conv1d(N_MELS, CHANNELS, KERNEL)
        self.inp_bn = nn.BatchNorm1d(CHANNELS)
        self.convs = nn.ModuleList(nn.Conv1d(CHANNELS, CHANNELS, KERNEL, dilation=d) for d in DILATIONS)
        self.bns = nn.ModuleList(nn.BatchNorm1d(CHANNELS) for _ in DILATIONS)
        self.head = nn.Conv1d(CHANNELS, N_VISEMES, 1)
        self.drop = nn.Dropout(0.1)

    @staticmethod
    def reaches():
        return [KERNEL - 1] + [(KERNEL - 1) * d for d in DILATIONS]

    def forward(self, feats):
        """feats [B, T, 40] -> logits [B, T, 15] (causal: output t sees inputs <= t)."""
        x = ((feats - self.mean) / self.std).transpose(1, 2)
        r = self.reaches()
        x = F.relu(self.inp_bn(self.inp(F.pad(x, (r[0], 0)))))
        for conv, bn, reach in zip(self.convs, self.bns, r[1:]):
            x = x + self.drop(F.relu(bn(conv(F.pad(x, (reach, 0))))))
        return self.head(x).transpose(1, 2)


def _fold(conv, bn):
    s = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    w = conv.weight * s[:, None, None]
    b = (conv.bias - bn.running_mean) * s + bn.bias
    return w.detach(), b.detach()


class StreamingNet(nn.Module):
    """The exported graph: new frames + per-layer caches in, probabilities + caches out."""

    def __init__(self, net):
        super().__init__()
        self.register_buffer("mean", net.mean.clone())
        self.register_buffer("inv_std", 1.0 / net.std.clone())
        folded = [_fold(net.inp, net.inp_bn)] + [_fold(c, b) for c, b in zip(net.convs, net.bns)]
        self.weights = nn.ParameterList(nn.Parameter(w, requires_grad=False) for w, _ in folded)
        self.biases = nn.ParameterList(nn.Parameter(b, requires_grad=False) for _, b in folded)
        self.dils = [1] + list(DILATIONS)
        self.reach = VisemeNet.reaches()
        self.head_w = nn.Parameter(net.head.weight.detach(), requires_grad=False)
        self.head_b = nn.Parameter(net.head.bias.detach(), requires_grad=False)

    def forward(self, feats, *caches):
        x = ((feats - self.mean) * self.inv_std).transpose(1, 2)
        new = []
        for i, (w, b, d, r) in enumerate(zip(self.weights, self.biases, self.dils, self.reach)):
            full = torch.cat([caches[i], x], dim=2)
            new.append(full[:, :, -r:])
            y = F.relu(F.conv1d(full, w, b, dilation=d))
            x = y if i == 0 else x + y
        probs = torch.softmax(F.conv1d(x, self.head_w, self.head_b), dim=1).transpose(1, 2)
        return (probs, *new)

    def cache_shapes(self):
        return [[N_MELS if i == 0 else CHANNELS, r] for i, r in enumerate(self.reach)]
