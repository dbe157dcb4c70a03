"""Phoneme tables: every phone each voice can produce has a viseme from the documented 15, so no
training frame is silently dropped or mislabelled. Phone inventories come from the phone-set
files Festival itself reads (when the voices are installed) and from fixed spot checks otherwise.
Run: python3 -m unittest discover -s training/visemes -p 'test_*.py' (numpy; no torch)."""
import os
import re
import unittest

import shutil

from viseme_map import FESTIVAL, FESTIVAL_SETS, MBROLA_SAMPA, VISEMES, espeak_visemes, festival_visemes, mbrola_visemes

FEST = "/usr/share/festival"
PHONESET_FILES = {
    "mrpa": f"{FEST}/mrpa_phones.scm",
    "italian": f"{FEST}/italian_scm/italian_phoneset.scm",
    "catalan": f"{FEST}/upc_catalan/upc_catalan_phones-central.scm",
    "czech": f"{FEST}/czech.scm",
    "finnish": f"{FEST}/voices/finnish/suopuhe.common/finnish_phones.scm",
}
FEATURE_WORDS = {"vc", "vlng", "vheight", "vfront", "vrnd", "ctype", "cplace", "cvox", "acc", "gem", "semi",
                 "syl", "postnas", "partner", "nasaali", "klusiili", "frikatiivi", "sibilantti", "likvida",
                 "lateraali", "puolivokaali", "clng", "cplace2"}


def phones_of(path):
    """The phone names a Festival defPhoneSet declares: "(name feature ...)" rows after the feature list."""
    with open(path, encoding="latin-1") as f:
        src = f.read()
    start = src.rindex("(", 0, src.index("defPhoneSet"))
    depth, end = 0, start
    for end in range(start, len(src)):  # the balanced (defPhoneSet ...) form, comments stripped
        c = src[end]
        if c == ";":
            continue
        depth += c == "("
        depth -= c == ")"
        if depth == 0:
            break
    body = re.sub(r";[^\n]*", "", src[start: end + 1])
    names = re.findall(r"^\s*\(\s*([^\s;()]+)\s+[-+0-9a-z]", body, re.M)
    return [n for n in names if n not in FEATURE_WORDS and n != "defPhoneSet"]


class FestivalSets(unittest.TestCase):
    def test_every_declared_phone_of_each_installed_set_maps(self):
        checked = 0
        for name, path in PHONESET_FILES.items():
            if not os.path.exists(path):
                continue
            phones = phones_of(path)
            self.assertGreater(len(phones), 20, name)
            for ph in phones:
                vs = festival_visemes(ph, name)
                self.assertIsNotNone(vs, f"{name}: {ph} has no viseme")
                self.assertTrue(set(vs) <= set(VISEMES), f"{name}: {ph} -> {vs}")
            checked += 1
        if checked == 0:
            self.skipTest("no Festival voices for other languages installed (training/visemes/setup-training.sh)")

    def test_tables_use_only_the_15_visemes(self):
        for name, table in {"radio": FESTIVAL, **FESTIVAL_SETS}.items():
            for ph, v in table.items():
                self.assertTrue(set(v if isinstance(v, list) else [v]) <= set(VISEMES), f"{name}: {ph}")

    def test_stress_digits_and_length_marks_keep_the_mouth_shape(self):
        self.assertEqual(festival_visemes("a1", "italian"), ["aa"])
        self.assertEqual(festival_visemes("O1", "catalan"), ["O"])
        self.assertEqual(festival_visemes("a:", "czech"), ["aa"])
        self.assertEqual(festival_visemes("k:", "finnish"), ["kk"])
        # Finnish 7 (ö) is a phone of its own, long or short, not a stress digit
        self.assertEqual(festival_visemes("7", "finnish"), ["O"])
        self.assertEqual(festival_visemes("7:", "finnish"), ["O"])

    def test_articulations_land_in_the_expected_group(self):
        cases = {
            "italian": {"p": "PP", "m": "PP", "f": "FF", "tS": "CH", "dZ": "CH", "ts": "SS", "J": "nn", "L": "nn", "r": "RR", "u": "U", "#": "sil"},
            "czech": {"c~": "CH", "s~": "CH", "c": "SS", "ch": "kk", "r~": "RR", "n~": "nn", "i:": "I", "#": "sil"},
            "finnish": {"@": "aa", "y": "U", "7": "O", "N": "kk", "h": "kk", "##": "sil"},
            "catalan": {"ax": "E", "rr": "RR", "S": "CH", "J": "nn", "pau": "sil"},
            "mrpa": {"uh": "aa", "oo": "O", "@": "E", "@@": "E", "sh": "CH", "h": "kk", "y": "I", "#": "sil"},
        }
        for name, pairs in cases.items():
            for ph, v in pairs.items():
                self.assertEqual(festival_visemes(ph, name), [v], f"{name}: {ph}")

    def test_british_diphthongs_travel_like_the_radio_ones(self):
        for mrpa, radio in {"ai": "ay", "ei": "ey", "oi": "oy", "au": "aw", "ou": "ow"}.items():
            self.assertEqual(festival_visemes(mrpa, "mrpa"), festival_visemes(radio), mrpa)

    def test_unknown_phones_are_reported_not_guessed(self):
        self.assertIsNone(festival_visemes("qq", "czech"))
        self.assertIsNone(festival_visemes("zz"))


class EspeakAndMbrola(unittest.TestCase):
    def test_mbrola_voices_report_espeak_mnemonics_that_map(self):
        # phonemes espeak-ng reports for its mb-* voices (seen in generated data): same mnemonics
        for sym, want in {"oU": ["O", "U"], "3:": ["RR"], "D": ["TH"], "A:": ["aa"], "y": ["U"], "Z": ["CH"], "*": ["DD"]}.items():
            self.assertEqual(espeak_visemes(sym), want, sym)


class MbrolaDatabaseSymbols(unittest.TestCase):
    """English through other languages' MBROLA databases is labelled by the databases' own symbols."""

    def test_table_uses_only_the_15_visemes(self):
        for ph, v in MBROLA_SAMPA.items():
            self.assertTrue(set(v if isinstance(v, list) else [v]) <= set(VISEMES), ph)

    def test_substituted_phonemes_are_labelled_by_the_sound_played(self):
        # "think" through de1 is "f I N k": its first sound is labiodental, whatever English meant
        cases = {"f": "FF", "v": "FF", "T": "TH", "6": "aa", "2": "O", "9": "O", "u0": "U", "rs": "CH",
                 "q": "CH", "ph": "PP", "kh": "kk", "th": "DD", "R": "RR", "N": "kk", "_": "sil", "a:": "aa", "i:": "I"}
        for ph, v in cases.items():
            self.assertEqual(mbrola_visemes(ph), [v], ph)
        self.assertEqual(mbrola_visemes("aI"), ["aa", "I"])
        self.assertIsNone(mbrola_visemes("zz"))

    @unittest.skipUnless(shutil.which("espeak-ng") and shutil.which("mbrola") and os.path.isdir("/usr/share/mbrola/de1"),
                         "MBROLA voices not installed (training/visemes/setup-training.sh)")
    def test_every_symbol_the_accented_english_voices_play_maps(self):
        import generate  # loads libespeak-ng
        import mbrola_pho
        text = ("The quick brown fox jumps over the lazy dog while the church bells ring. Measure the thick "
                "leather, judge the yellow hue, and think about why the bird sang at noon in June.")
        for voice, (database, _) in generate.MBROLA_EN.items():
            if not os.path.isdir(f"/usr/share/mbrola/{database}"):
                continue
            entries = mbrola_pho.pho_of(text, voice, rate=175, pitch=50)
            self.assertGreater(len(entries), 40, voice)
            for sym, _, _ in entries:
                self.assertIsNotNone(mbrola_visemes(sym), f"{voice}: {sym} has no viseme")


if __name__ == "__main__":
    unittest.main()
