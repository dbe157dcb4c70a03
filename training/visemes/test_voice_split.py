"""Speaker-held-out validation: no voice speaks in both training and validation, and the judging
voices (flite, CMU ARCTIC) speak in neither. Needs libespeak-ng (generate.py loads it); no torch."""
import unittest

import gen_text
import generate
import generate_heldout


class VoiceSplit(unittest.TestCase):
    def test_training_and_validation_voices_are_disjoint_in_every_language(self):
        for lang in generate.LANG_WEIGHTS:
            train = {(e, v) for e, v, _ in generate.voice_pool(lang, "train")}
            val = {(e, v) for e, v, _ in generate.voice_pool(lang, "val")}
            self.assertTrue(train, lang)
            self.assertTrue(val, lang)
            self.assertFalse(train & val, lang)

    def test_english_validation_has_female_and_male_unheard_voices(self):
        sexes = {generate.sex_of(e, v) for e, v, _ in generate.voice_pool("en-us", "val")}
        self.assertTrue({"female", "male"} <= sexes, sexes)

    def test_judging_voices_never_train_or_validate(self):
        every = {v for lang in generate.LANG_WEIGHTS for split in ("train", "val") for _, v, _ in generate.voice_pool(lang, split)}
        for judged in generate_heldout.VOICES:
            name = judged.split(":")[1]
            self.assertFalse(any(v and (name in v or v in name) for v in every), judged)  # "": the default voice
        # flite's kal is Festival's kal_diphone speaker, which trains: it is not a judging voice
        self.assertNotIn("flite:kal", generate_heldout.VOICES)

    def test_a_speaker_is_held_out_through_every_engine_that_voices_it(self):
        # the MBROLA speakers are heard through espeak-ng (mb-us3) and through Festival (us3_mbrola)
        for voice in generate.FESTIVAL_VOICES:
            if voice.endswith("_mbrola"):
                espeak_name = "mb-" + voice[: -len("_mbrola")]
                self.assertIn(espeak_name, generate.MBROLA, voice)
                self.assertEqual(voice in generate.VAL_VOICES, espeak_name in generate.VAL_VOICES, voice)

    def test_accented_english_speakers_train_only_and_are_no_validation_speaker(self):
        train = {v for e, v, _ in generate.voice_pool("en", "train", accented=1.0) if e == "mbrola-pho"}
        self.assertEqual(train, set(generate.MBROLA_EN))
        self.assertFalse(any(e == "mbrola-pho" for e, _, _ in generate.voice_pool("en", "val", accented=1.0)))
        self.assertFalse(any(e == "mbrola-pho" for e, _, _ in generate.voice_pool("de", "train", accented=1.0)))
        self.assertFalse(any(e == "mbrola-pho" for e, _, _ in generate.voice_pool("en", "train", accented=0.0)))
        held = {v[3:] for v in generate.VAL_VOICES if v.startswith("mb-")}
        for voice, (database, sex) in generate.MBROLA_EN.items():
            self.assertNotIn(database, held, voice)
            self.assertIn(sex, ("female", "male"))

    def test_the_platform_voice_trains_and_never_validates(self):
        self.assertIn(("espeak-ng", ""), {(e, v) for e, v, _ in generate.voice_pool("en-us", "train")})
        self.assertNotIn(("espeak-ng", ""), {(e, v) for e, v, _ in generate.voice_pool("en-us", "val")})

    def test_judging_set_has_both_sexes(self):
        self.assertEqual({s for _, s, _ in generate_heldout.VOICES.values()}, {"female", "male"})

    def test_every_text_language_has_an_espeak_voice(self):
        for lang in generate.LANG_WEIGHTS:
            self.assertIn(lang, gen_text.VOICE)


if __name__ == "__main__":
    unittest.main()
