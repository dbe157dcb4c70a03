"""Phoneme -> Oculus viseme tables for espeak-ng mnemonics and Festival's radio phone set.

The same table drives training labels and docs/visemes.md (written by
`python3 viseme_map.py --markdown`), so the documentation cannot drift from
what the model was taught. A diphthong is split in time between its two
targets because the mouth visibly travels (aI: aa then I).
"""
import re
import sys

import numpy as np

VISEMES = ["sil", "PP", "FF", "TH", "DD", "kk", "CH", "SS", "nn", "RR", "aa", "E", "I", "O", "U"]
IDX = {v: i for i, v in enumerate(VISEMES)}

# espeak-ng base symbols (after stripping stress/length/modifier marks).
# Longest match wins, so multi-letter symbols come first in lookup.
ESPEAK_BASE = {
    # silence and pauses
    "_": "sil",
    # bilabials
    "p": "PP", "b": "PP", "m": "PP", "B": "PP",  # B: Spanish/Greek bilabial fricative
    # labiodentals
    "f": "FF", "v": "FF", "F": "FF", "v#": "FF",
    # dentals
    "T": "TH", "D": "TH",
    # alveolar stops and taps
    "t": "DD", "d": "DD", "*": "DD", "t#": "DD", "d#": "DD",
    # velars, uvulars, glottals: tongue back, mouth follows neighbours
    "k": "kk", "g": "kk", "x": "kk", "G": "kk", "q": "kk", "N": "kk", "h": "kk", "?": "kk", "Q": "kk",
    # postalveolars and palatals
    "tS": "CH", "dZ": "CH", "S": "CH", "Z": "CH", "C": "CH", "c": "CH", "J": "CH", "tc": "CH", "dz;": "CH",
    "s;": "CH", "z;": "CH", "ts;": "CH", "tS;": "CH",
    # sibilants
    "s": "SS", "z": "SS", "ts": "SS", "dz": "SS", "ss": "SS",
    # nasals and laterals (tongue tip up, mouth neutral)
    "n": "nn", "l": "nn", "L": "nn", "n^": "nn", "l^": "nn", "J^": "nn", "n.": "nn", "l.": "nn", "l#": "nn",
    # rhotics
    "r": "RR", "R": "RR", "r.": "RR", "r#": "RR", "R2": "RR", "*#": "RR", "rr": "RR", "3": "RR",
    # glides
    "j": "I", "w": "U", "W": "O", "y": "U", "Y": "O", "H": "U",
    # open vowels
    "a": "aa", "A": "aa", "&": "aa", "V": "aa", "a#": "E", "aa": "aa", "0": "O", "8": "O",
    # mid/front vowels
    "e": "E", "E": "E", "@": "E", "e#": "E", "E#": "E", "@2": "E", "@5": "E", "&#": "E",
    # close front
    "i": "I", "I": "I", "i#": "I", "I#": "I", "I2": "I", "y#": "U",
    # back rounded
    "o": "O", "O": "O", "o#": "O", "O#": "O",
    "u": "U", "U": "U", "u#": "U", "U#": "U", "u-": "U",
}

# English consonants, the same symbols in Festival's radio (US) and mrpa (British) phone sets.
_ENGLISH_CONSONANTS = {
    "p": "PP", "b": "PP", "m": "PP", "f": "FF", "v": "FF", "th": "TH", "dh": "TH", "t": "DD", "d": "DD",
    "k": "kk", "g": "kk", "ng": "kk", "ch": "CH", "jh": "CH", "sh": "CH", "zh": "CH",
    "s": "SS", "z": "SS", "n": "nn", "l": "nn", "r": "RR", "y": "I", "w": "U",
}

# Festival radio phone set (kal_diphone, ked_diphone, the US MBROLA voices).
FESTIVAL = {
    "pau": "sil", "h#": "sil", "brth": "sil", **_ENGLISH_CONSONANTS, "dx": "DD", "hh": "kk",
    "aa": "aa", "ae": "aa", "ah": "aa", "ao": "O", "aw": ["aa", "U"], "ay": ["aa", "I"],
    "ax": "E", "axr": "RR", "eh": "E", "er": "RR", "ey": ["E", "I"], "ih": "I", "iy": "I",
    "ow": ["O", "U"], "oy": ["O", "I"], "uh": "U", "uw": "U",
}

# Festival voices for other languages, one table per phone set (the set's own symbols, from
# /usr/share/festival/{italian_scm/italian_phoneset,upc_catalan/upc_catalan_phones-central,czech}.scm
# and suopuhe.common/finnish_phones.scm). Stress digits (Italian, Catalan: a1) and Finnish length
# marks (k:, a:) are stripped before lookup: length does not change the mouth shape.
FESTIVAL_SETS = {
    # British English (mrpa: rab_diphone, en1_mbrola): the radio table's consonants and its vowel
    # choices in the set's own symbols; @@ (nurse, not r-coloured in this accent) is a mid vowel,
    # e@ i@ u@ glide to schwa
    "mrpa": {
        "#": "sil", "uh": "aa", "e": "E", "a": "aa", "o": "O", "i": "I", "u": "U", "ii": "I", "uu": "U",
        "oo": "O", "aa": "aa", "@@": "E", "ai": ["aa", "I"], "ei": ["E", "I"], "oi": ["O", "I"], "au": ["aa", "U"],
        "ou": ["O", "U"], "e@": "E", "i@": ["I", "E"], "u@": ["U", "E"], "@": "E",
        **_ENGLISH_CONSONANTS, "h": "kk",
    },
    "italian": {
        "#": "sil", "i": "I", "e": "E", "E": "E", "a": "aa", "o": "O", "O": "O", "u": "U", "j": "I", "w": "U",
        "p": "PP", "b": "PP", "m": "PP", "f": "FF", "v": "FF", "nf": "FF", "t": "DD", "d": "DD",
        "k": "kk", "g": "kk", "ng": "kk", "s": "SS", "z": "SS", "ts": "SS", "dz": "SS",
        "S": "CH", "Z": "CH", "tS": "CH", "dZ": "CH", "n": "nn", "J": "nn", "l": "nn", "L": "nn", "r": "RR",
    },
    "catalan": {
        "pau": "sil", "_": "sil", "#": "sil", "ax": "E", "a": "aa", "e": "E", "E": "E", "i": "I", "o": "O", "O": "O",
        "u": "U", "j": "I", "w": "U", "p": "PP", "b": "PP", "m": "PP", "f": "FF", "t": "DD", "d": "DD",
        "k": "kk", "g": "kk", "s": "SS", "z": "SS", "S": "CH", "Z": "CH", "J": "nn", "n": "nn", "l": "nn", "L": "nn",
        "r": "RR", "rr": "RR",
    },
    # Czech SAMPA-like set: c = ts, c~ = tS, ch = x, d~ t~ n~ = palatal, r~ = the fricative trill of "ř",
    # n* = velar nasal; "_" is the set's short pause
    "czech": {
        "#": "sil", "_": "sil", "a": "aa", "e": "E", "i": "I", "o": "O", "u": "U", "j": "I",
        "p": "PP", "b": "PP", "m": "PP", "f": "FF", "v": "FF", "t": "DD", "d": "DD", "t~": "CH", "d~": "CH",
        "k": "kk", "g": "kk", "h": "kk", "ch": "kk", "n*": "kk", "c": "SS", "dz": "SS", "s": "SS", "z": "SS",
        "c~": "CH", "dz~": "CH", "s~": "CH", "z~": "CH", "n": "nn", "n~": "nn", "l": "nn", "r": "RR", "r~": "RR",
        "r~*": "RR",
    },
    # Finnish: @ = ä, 7 = ö, y = y, & = the open front vowel of loans
    "finnish": {
        "#": "sil", "##": "sil", "a": "aa", "@": "aa", "&": "aa", "e": "E", "i": "I", "o": "O", "7": "O",
        "u": "U", "y": "U", "j": "I", "w": "U", "p": "PP", "b": "PP", "m": "PP", "f": "FF", "v": "FF",
        "T": "TH", "D": "TH", "t": "DD", "d": "DD", "k": "kk", "g": "kk", "h": "kk", "N": "kk",
        "s": "SS", "z": "SS", "S": "CH", "Z": "CH", "n": "nn", "l": "nn", "L": "nn", "r": "RR",
    },
}

# MBROLA databases' own SAMPA symbols, as espeak-ng's --pho output names them for English spoken
# through another language's database (mb-de1-en, mb-sw2-en, ...; generate.MBROLA_EN). espeak-ng
# maps each English phoneme onto the nearest one the database has (think -> "f I N k" through a
# German database), so these voices are labelled by what is played, not by the English phoneme.
# Symbols from the 16 databases' output on generated English: 2 9 (front rounded) and af1's $
# (its GOAT vowel) round the lips; 6 (German a-schwa), { and & are open; q is gr2's stand-in for
# English j (jump), c its palatal stop (church); ? a glottal stop; X Y are Greek's velar and palatal fricatives;
# u0 Swedish's central rounded vowel; rs Swedish's retroflex sibilant. Length marks (a:) and
# aspiration (ph kh th) do not change the mouth shape.
MBROLA_SAMPA = {
    "_": "sil", "#": "sil",
    "p": "PP", "ph": "PP", "b": "PP", "m": "PP",
    "f": "FF", "v": "FF", "T": "TH", "D": "TH",
    "t": "DD", "th": "DD", "d": "DD",
    "k": "kk", "kh": "kk", "g": "kk", "x": "kk", "X": "kk", "G": "kk", "h": "kk", "N": "kk", "?": "kk",
    "S": "CH", "Z": "CH", "tS": "CH", "dZ": "CH", "C": "CH", "c": "CH", "q": "CH", "dj": "CH", "tj": "CH", "rs": "CH",
    "s": "SS", "z": "SS",
    "n": "nn", "J": "nn", "l": "nn", "L": "nn",
    "r": "RR", "R": "RR",
    "j": "I", "Y": "I", "w": "U",
    "a": "aa", "A": "aa", "6": "aa", "{": "aa", "&": "aa", "V": "aa",
    "e": "E", "E": "E", "@": "E",
    "i": "I", "I": "I",
    "o": "O", "O": "O", "2": "O", "9": "O", "$": "O",
    "u": "U", "U": "U", "u0": "U",
    "aI": ["aa", "I"], "aU": ["aa", "U"], "Au": ["aa", "U"], "EI": ["E", "I"], "Ei": ["E", "I"],
    "OY": ["O", "I"], "@U": ["E", "U"],
}

_MARKS = set(":'`,%=!~")


def _lookup(sym):
    """Longest-prefix parse of one espeak symbol into a list of visemes (1 or 2)."""
    out, rest = [], sym
    while rest:
        for n in (3, 2, 1):
            if rest[:n] in ESPEAK_BASE:
                v = ESPEAK_BASE[rest[:n]]
                if not out or out[-1] != v:
                    out.append(v)
                rest = rest[n:]
                break
        else:
            if rest[0] in _MARKS or rest[0] in "|;-#.^1245679":
                rest = rest[1:]
                continue
            return None
    return out[:2] if out else None


def is_modifier(sym):
    """Events that are not sounds: language switches "(fr)", lone ';' or '!' marks."""
    return sym.startswith("(") or all(c in _MARKS or c in "|;!" for c in sym)


def espeak_visemes(sym):
    """Viseme list for an espeak-ng phoneme mnemonic, or None when unmapped."""
    if sym.startswith("_"):
        return ["sil"]
    return _lookup(sym)


def segments_to_labels(segs, n_frames, fps=100):
    """segs: [(start_s, end_s, [viseme...] or None)] -> int8 frame labels (sil outside, -1 for unmapped).

    Frame k covers t = k / fps; a segment of several visemes (a diphthong) is split evenly in time.
    """
    lab = np.zeros(n_frames, np.int8)
    t = np.arange(n_frames) / fps
    for s, e, vs in segs:
        if vs is None:
            lab[(t >= s) & (t < e)] = -1
            continue
        step = (e - s) / len(vs)
        for j, v in enumerate(vs):
            lab[(t >= s + j * step) & (t < s + (j + 1) * step)] = IDX[v]
    return lab


def mbrola_visemes(sym):
    """Viseme list for an MBROLA database symbol in espeak-ng's --pho output, or None when unmapped."""
    v = MBROLA_SAMPA.get(sym)
    if v is None:
        v = MBROLA_SAMPA.get(sym.rstrip(":"))
    if v is None:
        return None
    return v if isinstance(v, list) else [v]


def festival_visemes(sym, phoneset="radio"):
    """Viseme list for a Festival phone of `phoneset` (radio: the English voices), or None when unmapped."""
    if phoneset == "radio":
        v = FESTIVAL.get(sym)
    else:
        table = FESTIVAL_SETS[phoneset]
        v = table.get(sym)
        if v is None:  # a length mark (k:, 7:) or a stress digit (a1); Finnish 7 is itself a phone
            v = table.get(sym.rstrip(":")) or table.get(sym.rstrip(":").rstrip("0123456789"))
    if v is None:
        return None
    return v if isinstance(v, list) else [v]


def markdown(seen=None):
    """Render the tables; `seen` maps language -> set of espeak symbols met in data."""
    lines = ["| viseme | espeak-ng symbols | Festival radio phones |", "| --- | --- | --- |"]
    for v in VISEMES:
        es = " ".join(f"`{k}`" for k, x in ESPEAK_BASE.items() if x == v)
        fe = " ".join(f"`{k}`" for k, x in FESTIVAL.items() if x == v or (isinstance(x, list) and v in x))
        lines.append(f"| {v} | {es} | {fe} |")
    for name, table in FESTIVAL_SETS.items():
        lines += ["", f"Festival `{name}` phone set:", "", "| viseme | phones |", "| --- | --- |"]
        for v in VISEMES:
            ph = " ".join(f"`{k}`" for k, x in table.items() if x == v)
            if ph:
                lines.append(f"| {v} | {ph} |")
    lines += ["", "MBROLA database symbols (English through other languages' databases, labelled from espeak-ng --pho):",
              "", "| viseme | symbols |", "| --- | --- |"]
    for v in VISEMES:
        ph = " ".join(f"`{k}`" for k, x in MBROLA_SAMPA.items() if x == v or (isinstance(x, list) and v in x))
        if ph:
            lines.append(f"| {v} | {ph} |")
    if seen:
        lines += ["", "Per language, every phoneme met in the generated data and its viseme(s):", ""]
        lines += ["| language | phoneme → viseme |", "| --- | --- |"]
        for lang in sorted(seen):
            cells = []
            for sym in sorted(seen[lang]):
                if lang.startswith("festival"):
                    vs = festival_visemes(sym, lang.split(":")[1] if ":" in lang else "radio")
                elif lang.startswith("mbrola-pho"):
                    vs = mbrola_visemes(sym)
                else:
                    vs = espeak_visemes(sym)
                cells.append(f"`{sym}`→{'+'.join(vs) if vs else 'unmapped'}")
            lines.append(f"| {lang} | {' '.join(cells)} |")
    return "\n".join(lines)


if __name__ == "__main__" and "--markdown" in sys.argv:
    print(markdown())
