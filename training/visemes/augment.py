"""Augmentations that make synthetic voices sound like the world: speed,
pitch, vocal-tract-length (formant) shifts, reverb, microphone colouration,
noise and babble at several SNRs, telephone band, codecs (Opus at WebRTC's
16-32 kbps, mp3), automatic gain control, gain, padding.

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


def babble_mix(n, rng, voices):
    """n samples of 1-4 other training voices talking at once, each from a random point, equal power."""
    k = int(rng.integers(1, min(4, len(voices)) + 1))
    out = np.zeros(n, np.float64)
    for j in rng.choice(len(voices), size=k, replace=False):
        v = voices[int(j)].astype(np.float64)
        v = np.tile(v, int(np.ceil(n / len(v))) + 1)
        start = int(rng.integers(0, max(1, len(v) - n)))
        seg = v[start: start + n]
        out += seg / (np.sqrt(np.mean(seg ** 2)) + 1e-9)
    return out


def add_noise(x, rng, babble=None):
    """Coloured noise or, a third of the time, babble from `babble` (one voice or a list of voices)."""
    # no 0 dB: at equal power the consonants are gone, and labels the audio cannot support only
    # teach the model to hedge (a 2400-utterance A/B, without 0 dB, with noise on half rather than
    # 60% and a tenth left clean: 15-viseme accuracy on the judging voices 54.0% -> 55.9%)
    snr = rng.choice([5.0, 10.0, 15.0, 20.0, 30.0])
    voices = [babble] if isinstance(babble, np.ndarray) else [v for v in (babble or []) if len(v) > 0]
    if voices and rng.random() < 0.35:
        n = babble_mix(len(x), rng, voices)
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


def mic_colour(x, rng):
    """A microphone's and a room's frequency response: a band limit and 2-4 peaks/dips of up to 10 dB.

    Filtered forwards and backwards (zero phase), so nothing moves in time.
    """
    y = x.astype(np.float64)
    lo, hi = rng.uniform(60, 350), rng.uniform(3800, 7800)
    y = signal.sosfiltfilt(signal.butter(2, [lo, hi], btype="bandpass", fs=SR, output="sos"), y)
    for _ in range(int(rng.integers(2, 5))):
        f0, q, g = np.exp(rng.uniform(np.log(150), np.log(6500))), rng.uniform(0.7, 3.0), rng.uniform(-10, 10)
        b, a = _peaking(f0, q, g)
        y = signal.filtfilt(b, a, y)
    y *= np.sqrt(np.mean(x.astype(np.float64) ** 2) + 1e-12) / (np.sqrt(np.mean(y ** 2)) + 1e-12)
    return y.astype(np.float32)


def _peaking(f0, q, gain_db):
    """RBJ cookbook peaking biquad; with filtfilt the gain applies twice, so half is asked for."""
    amp = 10 ** (gain_db / 2 / 40)
    w = 2 * np.pi * f0 / SR
    alpha = np.sin(w) / (2 * q)
    b = np.array([1 + alpha * amp, -2 * np.cos(w), 1 - alpha * amp])
    a = np.array([1 + alpha / amp, -2 * np.cos(w), 1 - alpha / amp])
    return b / a[0], a / a[0]


def agc(x, rng):
    """Automatic gain control as in a browser's or phone's capture path: a 10 ms level meter with a
    fast attack and slow release drives the gain toward a target level, up to 30 dB of boost, so
    quiet stretches and breaths come up and loud syllables are squashed. Causal: no time shift."""
    hop = 160
    target = 10 ** (rng.uniform(-26, -14) / 20)
    attack, release = rng.uniform(0.3, 0.7), rng.uniform(0.02, 0.08)
    max_gain = 10 ** (rng.uniform(12, 30) / 20)
    n = int(np.ceil(len(x) / hop))
    frames = np.pad(x.astype(np.float64), (0, n * hop - len(x))).reshape(n, hop)
    level = np.sqrt(np.mean(frames ** 2, 1)) + 1e-6
    gains, g = np.empty(n), 1.0
    for i in range(n):
        want = min(max_gain, target / level[i])
        g += (want - g) * (attack if want < g else release)
        gains[i] = g
    per_sample = np.interp(np.arange(len(x)), np.arange(n) * hop + hop / 2, gains)
    return np.clip(x * per_sample, -1, 1).astype(np.float32)


def sampled_at_8khz(x):
    """x (16 kHz) as if it had been sampled at 8 kHz and brought back: nothing above 4 kHz."""
    return signal.resample_poly(signal.resample_poly(x, 1, 2), 2, 1)[: len(x)]


def telephone(x, rng):
    sos = signal.butter(4, [300, 3400], btype="bandpass", fs=SR, output="sos")
    return sampled_at_8khz(signal.sosfilt(sos, x)).astype(np.float32)


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


def formant_shift(x, rng, factor=None):
    """A new vocal tract: the spectral envelope (formants) scaled in frequency by `factor`, the
    harmonics (pitch) and timing left alone. Biased toward shorter tracts (formants up, 1.05-1.3),
    the female and child voices the synthetic corpus has fewest of. STFT with a cepstrally smoothed
    envelope, divided out and replaced by its warped copy; same hop in and out, so nothing moves
    in time. Returns (y, factor)."""
    if factor is None:
        factor = rng.uniform(1.05, 1.3) if rng.random() < 0.7 else rng.uniform(0.88, 0.98)
    n_fft, hop = 512, 128
    win = np.hanning(n_fft + 1)[:-1]
    pad = np.concatenate([np.zeros(n_fft), x.astype(np.float64), np.zeros(n_fft)])
    frames = np.lib.stride_tricks.sliding_window_view(pad, n_fft)[::hop] * win
    spec = np.fft.rfft(frames, axis=1)
    logmag = np.log(np.abs(spec) + 1e-7)
    ceps = np.fft.irfft(logmag, axis=1)
    lifter = 30  # quefrencies below ~2 ms: the envelope, not the harmonics
    ceps[:, lifter:-lifter] = 0
    env = np.fft.rfft(ceps, axis=1).real
    bins = np.arange(env.shape[1])
    src = np.clip(bins / factor, 0, env.shape[1] - 1)
    warped = np.stack([np.interp(src, bins, e) for e in env])
    spec *= np.exp(np.clip(warped - env, -4, 4))
    out = np.fft.irfft(spec, n_fft, axis=1) * win
    y = np.zeros(len(pad))
    norm = np.zeros(len(pad))
    for i, f in enumerate(out):
        y[i * hop: i * hop + n_fft] += f
        norm[i * hop: i * hop + n_fft] += win ** 2
    y = (y / np.maximum(norm, 1e-3))[n_fft: n_fft + len(x)]
    y *= np.sqrt(np.mean(x.astype(np.float64) ** 2) + 1e-12) / (np.sqrt(np.mean(y ** 2)) + 1e-12)
    return y.astype(np.float32), round(float(factor), 3)


def ffmpeg_round_trip(x, rng, pitch=False, codec=True, opus_kbps=None):
    """Optional pitch shift (asetrate+atempo keeps the tempo: pitch and formants move together)
    and an Opus (16-32 kbps, as WebRTC sends) or mp3 encode+decode."""
    filt = []
    if pitch:
        f = rng.uniform(0.85, 1.2)
        filt = ["-af", f"asetrate={int(SR * f)},aresample={SR},atempo={1 / f:.5f}"]
    pcm = (np.clip(x, -1, 1) * 32767).astype("<i2").tobytes()
    base = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "s16le", "-ar", str(SR), "-ac", "1", "-i", "pipe:0"]
    if codec:
        if opus_kbps is None and rng.random() < 0.25:
            enc = ["-c:a", "libmp3lame", "-b:a", f"{rng.choice([16, 24, 32, 64])}k", "-f", "mp3"]
        else:
            kbps = opus_kbps or int(rng.choice([16, 20, 24, 32]))
            enc = ["-c:a", "libopus", "-b:a", f"{kbps}k", "-application", "voip", "-f", "ogg"]
        p1 = subprocess.run(base + filt + enc + ["pipe:1"], input=pcm, capture_output=True, check=True)
        dec = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", "pipe:0", "-f", "s16le", "-ar", str(SR), "-ac", "1", "pipe:1"]
        out = subprocess.run(dec, input=p1.stdout, capture_output=True, check=True).stdout
    else:
        out = subprocess.run(base + filt + ["-f", "s16le", "pipe:1"], input=pcm, capture_output=True, check=True).stdout
    y = np.frombuffer(out, dtype="<i2").astype(np.float32) / 32768
    return _align(x, y, by_envelope=pitch)


def augment(x, rng, babble=None):
    """Random chain; returns (y, time_scale, pad_start_samples, ops). babble: other voices' audio."""
    scale = 1.0
    ops = []
    if rng.random() < 0.3:
        x, scale = speed(x, rng)
        ops.append("speed")
    if rng.random() < 0.4:
        x, _ = formant_shift(x, rng)
        ops.append("vtl")
    pitch, codec = rng.random() < 0.15, rng.random() < 0.3
    if pitch:
        x = ffmpeg_round_trip(x, rng, pitch=True, codec=False)
        ops.append("pitch")
    if rng.random() < 0.5:
        x = mic_colour(x, rng)
        ops.append("mic")
    if rng.random() < 0.35:
        x = reverb(x, rng)
        ops.append("reverb")
    pad0 = int(rng.uniform(0, 0.8) * SR)
    pad1 = int(rng.uniform(0.05, 0.8) * SR)
    x = np.concatenate([np.zeros(pad0, np.float32), x, np.zeros(pad1, np.float32)])
    if rng.random() < 0.5:
        x = add_noise(x, rng, babble)
        ops.append("noise")
    if rng.random() < 0.3:
        x = agc(x, rng)
        ops.append("agc")
    if rng.random() < 0.1:
        x = telephone(x, rng)
        ops.append("telephone")
    if codec:  # last before the gain: the codec hears what the microphone, room and AGC made
        x = ffmpeg_round_trip(x, rng, codec=True)
        ops.append("codec")
    if rng.random() < 0.8:
        x = x * 10 ** (rng.uniform(-30, 6) / 20)
        ops.append("gain")
    return np.clip(x, -1, 1).astype(np.float32), scale, pad0, ops
