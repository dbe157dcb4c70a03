"""The per-epoch log-mel augmentations (feature_augment.py) keep what labels depend on: the
number of frames, digital silence, and the frame a sound is in; and the vocal-tract warp moves a
spectral peak the way a shorter or longer tract would. Needs python3-numpy only."""
import unittest

import numpy as np

import features
from feature_augment import CENTRES_HZ, FeatureAugment, warp_matrix


def tone_frames(freq, n=30):
    t = np.arange(n * features.HOP + features.WIN) / features.SR
    return features.log_mel(0.3 * np.sin(2 * np.pi * freq * t))


class FeatureAugmentTest(unittest.TestCase):
    def test_warp_moves_a_peak_by_alpha(self):
        f = tone_frames(1000.0)[5:25]
        for alpha in (0.88, 1.15):
            warped = np.log(np.exp(f) @ warp_matrix(alpha).T)
            peak = CENTRES_HZ[warped.mean(0).argmax()]
            self.assertAlmostEqual(peak / 1000.0, alpha, delta=0.09, msg=f"alpha {alpha}: peak at {peak:.0f} Hz")

    def test_rows_sum_to_one(self):
        for alpha in (0.87, 1.0, 1.18):
            np.testing.assert_allclose(warp_matrix(alpha).sum(1), 1.0)
        np.testing.assert_allclose(warp_matrix(1.0), np.eye(features.N_MELS), atol=1e-9)

    def test_silence_and_timing_survive(self):
        x = np.zeros(features.SR, np.float32)
        x[6000:8000] = 0.2 * np.sin(2 * np.pi * 700 * np.arange(2000) / features.SR)
        f = features.log_mel(x)
        loud = f.max(1) > features.np.log(features.EPS) + 1.0
        aug = FeatureAugment(3, p_warp=1, p_colour=1, p_mask=1)
        for _ in range(20):
            g = aug(f)
            self.assertEqual(g.shape, f.shape)
            self.assertTrue(np.isfinite(g).all())
            # digital silence stays exactly silence, and sound stays in the frames it was in
            np.testing.assert_allclose(g[~loud], f[~loud], atol=1e-4)
            self.assertTrue((g[loud].max(1) > np.log(features.EPS) + 1.0).all())

    def test_off_is_identity_and_seeded(self):
        f = tone_frames(500.0)
        np.testing.assert_allclose(FeatureAugment(1, p_warp=0, p_colour=0, p_mask=0)(f), f, atol=1e-5)
        a, b = FeatureAugment(9), FeatureAugment(9)
        for _ in range(5):
            np.testing.assert_array_equal(a(f), b(f))


if __name__ == "__main__":
    unittest.main()
