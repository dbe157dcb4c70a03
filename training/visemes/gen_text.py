"""Phonetically varied text: English sentences from the wamerican word list,
and pseudo-words built from each language's own spelling for the others, so
espeak-ng's letter-to-sound rules produce that language's phonemes."""
import random

# onsets, vowels, codas in each language's orthography
LANGS = {
    "de": ("b d f g h j k l m n p r s t w z sch st sp pf ch kn br gr tr fl", "a e i o u ä ö ü ei au eu ie", "n r s t ch ng l m ck st"),
    "fr": ("b d f g j l m n p r s t v ch gn br pl tr qu", "a e i o u é è ou ai eau oi an on in eu", "r l s t n"),
    "es": ("b c d f g j l m n ñ p r s t v ch ll rr br tr pl gu", "a e i o u ie ue", "n s r l d z"),
    "it": ("b c d f g l m n p r s t v z gn sc ch gh br tr", "a e i o u", "n l r"),
    "pt": ("b c d f g j l m n p r s t v ch lh nh br tr", "a e i o u ã õ ão ei ou", "s r l m"),
    "nl": ("b d f g h j k l m n p r s t v w z sch ch kn", "a e i o u aa ee oo uu ij ui eu oe ou", "n r s t k l ng"),
    "sv": ("b d f g h j k l m n p r s t v sk sj tj st", "a e i o u y å ä ö", "n r s t k l ng"),
    "pl": ("b c d f g h j k l ł m n p r s t w z cz sz rz dz ch", "a e i o u y ą ę ó", "n k t s ł"),
    "cs": ("b c č d f g h ch j k l m n p r ř s š t v z ž", "a e i o u y á é í ú ů", "n k t s l"),
    "fi": ("h j k l m n p r s t v", "a e i o u y ä ö aa ii uu ei ai", "n s t l"),
    "tr": ("b c ç d f g h j k l m n p r s ş t v y z", "a e ı i o ö u ü", "n r l k m"),
    "id": ("b c d g h j k l m n p r s t w ng ny", "a e i o u ai au", "n ng r s k"),
    "hu": ("b c d f g h j k l m n p r s t v z cs sz zs gy ny ty", "a e i o u á é ö ü ó ő", "n r l t sz"),
    "ro": ("b c d f g h j l m n p r s ș t ț v z", "a e i o u ă â î", "n r l t"),
    "pt-br": ("b c d f g j l m n p r s t v ch lh nh", "a e i o u ã ão ei", "s r l m"),
    "ca": ("b c d f g j l m n p r s t v x ll ny qu tx br pl", "a e i o u à è é í ò ó ú", "n s r l t"),
}
# espeak-ng voice names
VOICE = {"en-us": "en-us", "en": "en", "de": "de", "fr": "fr", "es": "es", "it": "it", "pt": "pt",
         "pt-br": "pt-br", "nl": "nl", "sv": "sv", "pl": "pl", "cs": "cs", "fi": "fi", "tr": "tr", "id": "id",
         "hu": "hu", "ro": "ro", "ca": "ca"}

_words = None


def _english_words():
    global _words
    if _words is None:
        with open("/usr/share/dict/american-english", encoding="utf-8") as f:
            _words = [w.strip() for w in f if w.strip().isalpha() and w.strip().isascii() and len(w.strip()) > 1]
    return _words


def _pseudo_word(rng, lang):
    on, vo, co = (x.split() for x in LANGS[lang])
    syl = []
    for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4])):
        s = (rng.choice(on) if rng.random() < 0.8 else "") + rng.choice(vo)
        if rng.random() < 0.3:
            s += rng.choice(co)
        syl.append(s)
    return "".join(syl)


def sentence(rng, lang):
    """One sentence of 3-12 words with varied punctuation (prosody) and some numbers."""
    n = rng.randint(3, 12)
    if lang in ("en", "en-us"):
        words = [rng.choice(_english_words()).lower() for _ in range(n)]
    else:
        words = [_pseudo_word(rng, lang) for _ in range(n)]
    if rng.random() < 0.25:
        words.insert(rng.randrange(len(words)), str(rng.randint(2, 9999)))
    if n > 6 and rng.random() < 0.6:
        words[rng.randrange(2, n - 2)] += ","
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice([".", ".", ".", "?", "!"])


if __name__ == "__main__":
    r = random.Random(1)
    for l in ["en-us"] + list(LANGS):
        print(l, sentence(r, l))
