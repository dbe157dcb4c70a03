"""Train-time augmentations on log-mel frames, drawn afresh for every utterance in every epoch.

generate.py bakes one augmentation chain into each utterance's audio, so without these the model
hears each sentence through one vocal tract and one channel for the whole training. These are
cheap enough to redraw per epoch because they act on the 40 log-mel bins, not on the waveform:

- vocal-tract length: the spectral envelope scaled in frequency by alpha (output bin at f reads
  the input at f / alpha), the feature-domain form of the waveform formant shift in augment.py;
- channel colouration: a smooth random gain curve across the bins (a microphone, a room, a codec);
- frequency masking: a few adjacent bins replaced, frame by frame, by a line between their
  neighbours (SpecAugment's mask without its step edges), so no single band carries a decision.

All three work on power (exp of the log-mel minus its floor) so digital silence stays silence and
labels never move: nothing here touches time.
"""
import numpy as np

from features import EPS, FMAX, FMIN, N_MELS, _hz_to_mel, _mel_to_hz

_MEL_POS = np.linspace(_hz_to_mel(FMIN), _hz_to_mel(FMAX), N_MELS + 2)[1:-1]
CENTRES_HZ = _mel_to_hz(_MEL_POS)
DB = np.log(10.0) / 10.0  # natural-log power per decibel


def warp_matrix(alpha):
    """[N_MELS, N_MELS] linear interpolation: row i reads the bins around frequency CENTRES_HZ[i] / alpha.

    Rows sum to 1, so a flat (silent or white) frame is unchanged; below the first centre and
    above the last the edge bin is repeated.
    """
    src = np.interp(_hz_to_mel(CENTRES_HZ / alpha), _MEL_POS, np.arange(N_MELS))
    lo = np.clip(np.floor(src).astype(int), 0, N_MELS - 1)
    hi = np.minimum(lo + 1, N_MELS - 1)
    frac = src - lo
    w = np.zeros((N_MELS, N_MELS))
    w[np.arange(N_MELS), lo] += 1 - frac
    w[np.arange(N_MELS), hi] += frac
    return w


def colour_curve(rng, max_db):
    """A smooth gain curve across the bins, in natural-log power: 1-3 cosines, peak |gain| <= max_db."""
    i = (np.arange(N_MELS) + 0.5) / N_MELS
    curve = np.zeros(N_MELS)
    for k in range(1, int(rng.integers(1, 4)) + 1):
        curve += rng.uniform(-1, 1) * np.cos(np.pi * k * i + rng.uniform(0, 2 * np.pi))
    peak = np.abs(curve).max()
    return curve / peak * rng.uniform(0, max_db) * DB if peak > 0 else curve


class FeatureAugment:
    """Callable on one utterance's [T, N_MELS] float32 log-mel frames; returns new frames."""

    def __init__(self, seed, p_warp=0.5, alpha=(0.87, 1.18), p_colour=0.5, max_db=8.0, p_mask=0.3, max_mask=5):
        self.rng = np.random.default_rng(seed)
        self.p_warp, self.alpha, self.p_colour, self.max_db = p_warp, alpha, p_colour, max_db
        self.p_mask, self.max_mask = p_mask, max_mask

    def __call__(self, feats):
        r = self.rng
        power = np.maximum(np.exp(feats.astype(np.float64)) - EPS, 0.0)
        changed = False
        if r.random() < self.p_warp:
            alpha = np.exp(r.uniform(np.log(self.alpha[0]), np.log(self.alpha[1])))
            power = power @ warp_matrix(alpha).T
            changed = True
        if r.random() < self.p_colour:
            power = power * np.exp(colour_curve(r, self.max_db))
            changed = True
        out = np.log(power + EPS) if changed else feats.astype(np.float64)
        if r.random() < self.p_mask:
            width = int(r.integers(1, self.max_mask + 1))
            lo = int(r.integers(0, N_MELS - width + 1))
            left, right = out[:, max(lo - 1, 0)], out[:, min(lo + width, N_MELS - 1)]
            t = (np.arange(1, width + 1) / (width + 1))[None, :]
            out[:, lo: lo + width] = left[:, None] * (1 - t) + right[:, None] * t
        return out.astype(np.float32)
