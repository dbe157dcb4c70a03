"""espeak-ng reports a stop at its burst; closures_to_stops gives the silent closure before it to
the stop, as Festival, MBROLA and the judging voices label it (lips shut for p and b). Checked on
real espeak-ng speech. Needs libespeak-ng (the platform's TTS); no torch."""
import unittest

import numpy as np

import espeak_events


def level_db(audio, sr, start, end):
    x = audio[int(start * sr): int(end * sr)].astype(np.float64)
    return 10 * np.log10(np.mean(x ** 2) + 1e-3)


class ClosuresToStops(unittest.TestCase):
    def setUp(self):
        self.audio, ev, self.sr = espeak_events.synth_rate("a papa, a tata.", "en-us", rate=160)
        self.before = [(s / self.sr, p) for s, p in ev]
        self.after = [(s / self.sr, p) for s, p in espeak_events.closures_to_stops(self.audio, self.sr, ev)]

    def test_the_closure_before_each_burst_moves_into_the_stop(self):
        stops = [i for i, (_, p) in enumerate(self.before) if p in ("p", "t")]  # t#: the US flap, barely closed
        self.assertGreaterEqual(len(stops), 3)
        for i in stops:
            old, new = self.before[i][0], self.after[i][0]
            self.assertLess(new, old - 0.02, f"{self.before[i][1]} at {old:.3f} s did not take its closure")
            # what moved is quiet: the closure, far below the vowel before it
            vowel = level_db(self.audio, self.sr, self.before[i - 1][0], new)
            self.assertLess(level_db(self.audio, self.sr, new + 0.005, old), vowel - espeak_events.CLOSURE_DB + 3)
            # and the previous sound keeps its own voiced part
            self.assertGreaterEqual(new - self.after[i - 1][0], espeak_events.MIN_KEEP_S - 1e-9)

    def test_other_sounds_and_the_order_stay(self):
        self.assertEqual([p for _, p in self.before], [p for _, p in self.after])
        for (t0, p), (t1, _) in zip(self.before, self.after):
            if p[0] not in espeak_events.STOP_INITIALS:
                self.assertEqual(t0, t1, p)
        starts = [t for t, _ in self.after]
        self.assertEqual(starts, sorted(starts))

    def test_a_stop_after_a_pause_keeps_its_start(self):
        audio, ev, sr = espeak_events.synth_rate("Pack it.", "en-us", rate=160)
        first = next(i for i, (_, p) in enumerate(ev) if p == "p")
        self.assertEqual(espeak_events.closures_to_stops(audio, sr, ev)[first], ev[first])


if __name__ == "__main__":
    unittest.main()
