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
            if {"telephone", "noise", "reverb"} & set(ops) or not {"speed", "pitch"} & set(ops):
                continue  # onsets are not measurable this simply under noise or a reverb tail
            expected = onsets(x) * scale + pad0 / SR
            np.testing.assert_allclose(onsets(y), expected, atol=0.015, err_msg=str(ops))
            for op in checked:
                checked[op] += op in ops
        self.assertGreaterEqual(min(checked.values()), 2, checked)

if __name__ == "__main__":
    unittest.main()
