"""Log-mel features, the reference for core/audio/log-mel.ts.

Both implementations follow this definition exactly (a unit test in
core/audio compares them on a fixture written by make_fixture.py):
16 kHz input, frame k centred on sample k*160 (zeros before the start),
400-sample periodic Hann window zero-padded to a 512-point FFT, power
spectrum, 40 triangular HTK-mel filters from 60 to 7600 Hz (peak 1, no
area normalisation), natural log of (energy + 1e-6).
"""
import numpy as np

SR = 16000
HOP = 160
WIN = 400
NFFT = 512
N_MELS = 40
FMIN = 60.0
FMAX = 7600.0
EPS = 1e-6


def _hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + f / 700.0)


def _mel_to_hz(m):
    return 700.0 * (10.0 ** (m / 2595.0) - 1.0)


def mel_filterbank():
    """[N_MELS, NFFT//2+1] triangular filters on the FFT bin frequencies."""
    mels = np.linspace(_hz_to_mel(FMIN), _hz_to_mel(FMAX), N_MELS + 2)
    hz = _mel_to_hz(mels)
    bins = np.arange(NFFT // 2 + 1) * SR / NFFT
    fb = np.zeros((N_MELS, NFFT // 2 + 1))
    for m in range(N_MELS):
        lo, c, hi = hz[m], hz[m + 1], hz[m + 2]
        up = (bins - lo) / (c - lo)
        down = (hi - bins) / (hi - c)
        fb[m] = np.maximum(0.0, np.minimum(up, down))
    return fb


FB = mel_filterbank()
WINDOW = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(WIN) / WIN)


def frame_count(n_samples):
    """Frames whose window fits in n_samples (a frame needs samples up to k*HOP + WIN/2)."""
    return 0 if n_samples < WIN // 2 else (n_samples - WIN // 2) // HOP + 1


def log_mel(x, n_frames=None):
    """x: float array of 16 kHz samples in [-1, 1] -> [frames, N_MELS] float32."""
    x = np.asarray(x, dtype=np.float64)
    n = frame_count(len(x)) if n_frames is None else n_frames
    if n == 0:
        return np.zeros((0, N_MELS), np.float32)
    need = (n - 1) * HOP + WIN
    padded = np.zeros(need)
    body = x[: need - WIN // 2]
    padded[WIN // 2: WIN // 2 + len(body)] = body
    idx = np.arange(WIN)[None, :] + HOP * np.arange(n)[:, None]
    frames = padded[idx] * WINDOW
    spec = np.fft.rfft(frames, NFFT, axis=1)
    power = spec.real ** 2 + spec.imag ** 2
    return np.log(power @ FB.T + EPS).astype(np.float32)
