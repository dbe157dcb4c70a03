"""Augmentations that make synthetic voices sound like the world: speed,
pitch, reverb, noise at several SNRs, telephone band, codecs, gain, padding.

Every step that moves audio in time returns the factor or offset so the
phoneme segments can be moved with it; labels stay exact.
"""
import subprocess
import numpy as np
from scipy import signal

SR = 16000


def speed(x, rng):
    """Resample-based speed change (tempo and pitch together); returns (y, time_scale).

    Resampling by up/down makes the signal up/down times as long, so a time t
    in x is at t * up / down in y (speeding up by f = down/up shortens it).
    """
    f = rng.uniform(0.85, 1.18)
    up, down = 100, int(round(100 * f))
    return signal.resample_poly(x, up, down).astype(np.float32), up / down


def _colored_noise(n, rng):
    kind = rng.choice(["white", "pink", "brown", "hum"])
    w = rng.standard_normal(n)
    if kind == "white":
        return w
    if kind == "hum":
        t = np.arange(n) / SR
        f0 = rng.choice([50.0, 60.0])
        return np.sin(2 * np.pi * f0 * t) + 0.5 * np.sin(2 * np.pi * 3 * f0 * t) + 0.1 * w
    spec = np.fft.rfft(w)
    fr = np.maximum(np.fft.rfftfreq(n), 1.0 / n)
    spec /= np.sqrt(fr) if kind == "pink" else fr
    return np.fft.irfft(spec, n)


def add_noise(x, rng, babble=None):
    snr = rng.choice([0.0, 5.0, 10.0, 15.0, 20.0, 30.0])
    if babble is not None and len(babble) > 0 and rng.random() < 0.25:
        reps = int(np.ceil(len(x) / len(babble)))
        n = np.tile(babble, reps)[: len(x)].astype(np.float64)
        snr = max(snr, 10.0)  # competing speech louder than this would be a different speaker's visemes
    else:
        n = _colored_noise(len(x), rng)
    px = np.mean(x.astype(np.float64) ** 2) + 1e-12
    pn = np.mean(n ** 2) + 1e-12
    return (x + n * np.sqrt(px / pn / 10 ** (snr / 10))).astype(np.float32)


def reverb(x, rng):
    rt60 = rng.uniform(0.15, 0.9)
    n = int(rt60 * SR)
    t = np.arange(n) / SR
    ir = rng.standard_normal(n) * np.exp(-6.9 * t / rt60)
    ir[0] = 1.0 / rng.uniform(0.3, 1.0)  # direct path vs diffuse energy
    y = signal.fftconvolve(x, ir)[: len(x)]
    return (y * (np.sqrt(np.mean(x ** 2) + 1e-12) / (np.sqrt(np.mean(y ** 2)) + 1e-12))).astype(np.float32)


def telephone(x, rng):
    sos = signal.butter(4, [300, 3400], btype="bandpass", fs=SR, output="sos")
    y = signal.sosfilt(sos, x)
    y = signal.resample_poly(signal.resample_poly(y, 1, 2), 2, 1)[: len(x)]
    return y.astype(np.float32)


def _envelope(x, hop=16):
    """Energy envelope, 10 ms window every millisecond: unlike the waveform, it survives a pitch shift."""
    e = np.sqrt(np.convolve(x.astype(np.float64) ** 2, np.ones(160) / 160, "same"))[::hop]
    return e - e.mean()


def _align(ref, y, by_envelope=False):
    """Undo the codec's delay (mp3 priming samples) or the pitch shifter's by cross-correlation.

    A pitch-shifted waveform no longer correlates with the original, so that
    case is aligned on the energy envelopes (1 ms steps) instead.
    """
    m = min(len(ref), len(y))
    if by_envelope:
        a, b = _envelope(y[:m]), _envelope(ref[:m])
        c = signal.correlate(a, b, mode="full", method="fft")
        mid, w = len(b) - 1, 250
        lag = (int(np.argmax(c[mid - w: mid + w])) - w) * 16
    else:
        c = signal.correlate(y[:m], ref[:m], mode="full", method="fft")
        mid = m - 1
        lag = int(np.argmax(c[mid - 4000: mid + 4000])) - 4000
    y = y[lag:] if lag >= 0 else np.concatenate([np.zeros(-lag, np.float32), y])
    out = np.zeros(len(ref), np.float32)
    out[: min(len(ref), len(y))] = y[: len(ref)]
    return out


def ffmpeg_round_trip(x, rng, pitch=False, codec=True):
    """Optional pitch shift (asetrate+atempo keeps the tempo) and mp3/opus encode+decode."""
    filt = []
    if pitch:
        f = rng.uniform(0.85, 1.2)
        filt = ["-af", f"asetrate={int(SR * f)},aresample={SR},atempo={1 / f:.5f}"]
    pcm = (np.clip(x, -1, 1) * 32767).astype("<i2").tobytes()
    base = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "s16le", "-ar", str(SR), "-ac", "1", "-i", "pipe:0"]
    if codec:
        if rng.random() < 0.5:
            enc = ["-c:a", "libmp3lame", "-b:a", f"{rng.choice([16, 24, 32, 64])}k", "-f", "mp3"]
        else:
            enc = ["-c:a", "libopus", "-b:a", f"{rng.choice([8, 12, 16, 32])}k", "-f", "ogg"]
        p1 = subprocess.run(base + filt + enc + ["pipe:1"], input=pcm, capture_output=True, check=True)
        dec = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", "pipe:0", "-f", "s16le", "-ar", str(SR), "-ac", "1", "pipe:1"]
        out = subprocess.run(dec, input=p1.stdout, capture_output=True, check=True).stdout
    else:
        out = subprocess.run(base + filt + ["-f", "s16le", "pipe:1"], input=pcm, capture_output=True, check=True).stdout
    y = np.frombuffer(out, dtype="<i2").astype(np.float32) / 32768
    return _align(x, y, by_envelope=pitch)


def augment(x, rng, babble=None):
    """Random chain; returns (y, time_scale, pad_start_samples)."""
    scale = 1.0
    ops = []
    if rng.random() < 0.3:
        x, scale = speed(x, rng)
        ops.append("speed")
    pitch, codec = rng.random() < 0.2, rng.random() < 0.25
    if pitch or codec:
        x = ffmpeg_round_trip(x, rng, pitch=pitch, codec=codec)
        ops += (["pitch"] if pitch else []) + (["codec"] if codec else [])
    if rng.random() < 0.3:
        x = reverb(x, rng)
        ops.append("reverb")
    pad0 = int(rng.uniform(0, 0.8) * SR)
    pad1 = int(rng.uniform(0.05, 0.8) * SR)
    x = np.concatenate([np.zeros(pad0, np.float32), x, np.zeros(pad1, np.float32)])
    if rng.random() < 0.6:
        x = add_noise(x, rng, babble)
        ops.append("noise")
    if rng.random() < 0.15:
        x = telephone(x, rng)
        ops.append("telephone")
    if rng.random() < 0.8:
        x = x * 10 ** (rng.uniform(-30, 6) / 20)
        ops.append("gain")
    return np.clip(x, -1, 1).astype(np.float32), scale, pad0, ops
