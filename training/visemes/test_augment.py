"""Label timing through the augmentations: every step that moves audio in time
must move the phoneme segments with it, or the model learns from labels that
point at the wrong sound. Run: python3 -m unittest discover -s training/visemes -p 'test_*.py'
(needs python3-numpy, python3-scipy and ffmpeg; no torch)."""
import unittest

import numpy as np

import augment

SR = 16000
BURSTS = (0.5, 1.0, 1.7, 2.5)


def bursts():
    """Three seconds of silence with 50 ms tone bursts starting at BURSTS."""
    x = np.zeros(SR * 3, np.float32)
    t = np.arange(int(0.05 * SR)) / SR
    for start in BURSTS:
        i = int(start * SR)
        x[i: i + len(t)] += 0.5 * np.sin(2 * np.pi * 300 * t) * np.hanning(len(t))
    return x


def onsets(y):
    """Times where the 5 ms energy first rises above a fifth of its peak, one per burst."""
    e = np.convolve(y.astype(np.float64) ** 2, np.ones(80) / 80, "same")
    above = e > e.max() * 0.2
    starts = np.nonzero(above[1:] & ~above[:-1])[0] / SR
    out = []
    for s in starts:
        if not out or s - out[-1] > 0.2:
            out.append(s)
    return np.array(out)


class LabelTiming(unittest.TestCase):
    def test_speed_returns_the_time_scale_of_the_audio(self):
        x = bursts()
        for seed in range(6):
            y, scale = augment.speed(x, np.random.default_rng(seed))
            self.assertAlmostEqual(len(y) / len(x), scale, places=3)
            np.testing.assert_allclose(onsets(y), onsets(x) * scale, atol=0.003)

    def test_pitch_shift_keeps_events_within_a_frame(self):
        x = bursts()
        for seed in range(6):
            rng = np.random.default_rng(seed)
            y = augment.ffmpeg_round_trip(x, rng, pitch=True, codec=seed % 2 == 0)
            self.assertEqual(len(y), len(x))
            got = onsets(y)
            self.assertEqual(len(got), len(BURSTS))
            np.testing.assert_allclose(got, onsets(x), atol=0.015)

    def test_codec_round_trip_removes_the_encoder_delay(self):
        x = bursts()
        y = augment.ffmpeg_round_trip(x, np.random.default_rng(3), pitch=False, codec=True)
        np.testing.assert_allclose(onsets(y), onsets(x), atol=0.003)

    def test_augment_reports_the_scale_and_offset_it_applied(self):
        x = bursts()
        checked = {"speed": 0, "pitch": 0}
        for seed in range(300):
            if min(checked.values()) >= 2:
                break
            y, scale, pad0, ops = augment.augment(x, np.random.default_rng(seed))
            if {"telephone", "noise", "reverb", "agc"} & set(ops) or not {"speed", "pitch"} & set(ops):
                continue  # onsets are not measurable this simply under noise or a reverb tail
            expected = onsets(x) * scale + pad0 / SR
            np.testing.assert_allclose(onsets(y), expected, atol=0.015, err_msg=str(ops))
            for op in checked:
                checked[op] += op in ops
        self.assertGreaterEqual(min(checked.values()), 2, checked)


def vowel(seconds=1.0, f0=100.0):
    """A pulse train at f0 through three resonances (700, 1200, 2500 Hz): a crude vowel."""
    from scipy import signal
    n = int(SR * seconds)
    e = np.zeros(n)
    e[:: int(SR / f0)] = 1.0
    v = np.zeros(n)
    for f, q in ((700, 2), (1200, 3), (2500, 4)):
        b, a = signal.iirpeak(f, q, fs=SR)
        v += signal.lfilter(b, a, e)
    return (0.3 * v / np.abs(v).max()).astype(np.float32)


def centroid(y):
    s = np.abs(np.fft.rfft(y[2000:-2000])) ** 2
    f = np.fft.rfftfreq(len(y) - 4000, 1 / SR)
    m = (f > 200) & (f < 4000)
    return float((s[m] * f[m]).sum() / s[m].sum())


def f0_of(y):
    """Pitch by autocorrelation over 60-400 Hz."""
    z = y[2000:-2000].astype(np.float64)
    c = np.correlate(z[:8000], z[:8000], "full")[7999:]
    lo, hi = int(SR / 400), int(SR / 60)
    return SR / (lo + int(np.argmax(c[lo:hi])))


class Channels(unittest.TestCase):
    def test_formant_shift_moves_the_formants_not_the_pitch_or_the_timing(self):
        v = vowel()
        base = centroid(v)
        for factor in (1.15, 1.3):
            y, got = augment.formant_shift(v, None, factor=factor)
            self.assertEqual(len(y), len(v))
            self.assertGreater(centroid(y), base * 1.06, factor)  # a shorter vocal tract: formants up
            self.assertAlmostEqual(f0_of(y), f0_of(v), delta=3)   # same voice pitch
        y, _ = augment.formant_shift(v, None, factor=0.9)
        self.assertLess(centroid(y), base)
        x = bursts()
        for seed in range(4):
            y, _ = augment.formant_shift(x, np.random.default_rng(seed))
            np.testing.assert_allclose(onsets(y), onsets(x), atol=0.003)

    def test_formant_shifts_lean_toward_shorter_tracts(self):
        factors = [augment.formant_shift(np.zeros(4000, np.float32), np.random.default_rng(s))[1] for s in range(200)]
        self.assertGreater(np.mean(np.array(factors) > 1), 0.6)
        self.assertTrue(0.85 <= min(factors) and max(factors) <= 1.3)

    def test_microphone_colouring_keeps_timing_and_level_and_changes_the_spectrum(self):
        x, v = bursts(), vowel()
        for seed in range(4):
            y = augment.mic_colour(x, np.random.default_rng(seed))
            np.testing.assert_allclose(onsets(y), onsets(x), atol=0.002)
            yv = augment.mic_colour(v, np.random.default_rng(seed))
            self.assertAlmostEqual(float(np.sqrt(np.mean(yv ** 2))), float(np.sqrt(np.mean(v ** 2))), delta=1e-3)
            self.assertGreater(abs(centroid(yv) - centroid(v)), 20)

    def test_agc_brings_quiet_speech_up_without_moving_it(self):
        x = bursts() * 0.01  # -46 dB: a far-away talker
        y = augment.agc(x, np.random.default_rng(1))
        self.assertGreater(np.abs(y).max(), 10 * np.abs(x).max())
        self.assertLessEqual(np.abs(y).max(), 1.0)
        np.testing.assert_allclose(onsets(y), onsets(x), atol=0.003)

    def test_opus_at_webrtc_rates_keeps_events_aligned(self):
        x = bursts()
        for kbps in (16, 24, 32):
            y = augment.ffmpeg_round_trip(x, np.random.default_rng(kbps), codec=True, opus_kbps=kbps)
            self.assertEqual(len(y), len(x))
            np.testing.assert_allclose(onsets(y), onsets(x), atol=0.003)

    def test_babble_mixes_several_other_voices(self):
        rng = np.random.default_rng(0)
        voices = [vowel(0.5, f0) for f0 in (90, 140, 210, 260)]
        ks = set()
        for seed in range(30):
            b = augment.babble_mix(16000, np.random.default_rng(seed), voices)
            self.assertEqual(len(b), 16000)
            ks.add(round(float(np.mean(b ** 2))))
        self.assertGreater(len(ks), 1)  # 1 to 4 talkers at once: the power varies with their number
        x = bursts()
        y = augment.add_noise(x, rng, voices)
        self.assertEqual(len(y), len(x))


if __name__ == "__main__":
    unittest.main()
