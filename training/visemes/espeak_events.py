"""Synthesise with libespeak-ng through ctypes and keep its phoneme events.

Why ctypes: `espeak-ng --pho` needs mbrola voices (not in Debian main), and
splitting text into chunks changes coarticulation. The library's own
PHONEME events carry the sample position at which each phoneme starts in
the very waveform it returns, so the timings are exact by construction.
"""
import ctypes
import numpy as np

_LIB = ctypes.CDLL("libespeak-ng.so.1")


class _Id(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _Id),
    ]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))
_EVENT_PHONEME = 7
_EVENT_END = 5
_EVENT_LIST_TERMINATED = 0
_PARAM = {"rate": 1, "volume": 2, "pitch": 3, "range": 4, "wordgap": 7}

_state = {"chunks": [], "events": []}


def _on_synth(wav, n, events):
    if n > 0:
        _state["chunks"].append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
    i = 0
    while events[i].type != _EVENT_LIST_TERMINATED:
        ev = events[i]
        if ev.type == _EVENT_PHONEME:
            _state["events"].append((ev.sample, ev.audio_position, ev.id.string.decode("utf-8", "replace")))
        i += 1
    return 0


_cb = _CALLBACK(_on_synth)
SAMPLE_RATE = _LIB.espeak_Initialize(2, 0, None, 1)  # SYNCHRONOUS, phoneme events on
if SAMPLE_RATE <= 0:
    raise RuntimeError("espeak_Initialize failed")
_LIB.espeak_SetSynthCallback(_cb)
_LIB.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
_LIB.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                              ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]


_LIB.espeak_ng_GetSampleRate.restype = ctypes.c_int


def synth_rate(text, voice, **params):
    """Like synth, and the sample rate of this voice's audio: MBROLA voices (mb-*) run at their
    own rate (16 kHz for most, 22.05 kHz for some), not the 22.05 kHz espeak_Initialize reports."""
    audio, ev = synth(text, voice, **params)
    return audio, ev, _LIB.espeak_ng_GetSampleRate()


def synth(text, voice, rate=175, pitch=50, prange=50, wordgap=0, volume=100):
    """Return (int16 samples, [(start_sample, phoneme)]) for text in voice (e.g. 'de+m3', 'mb-de1').

    With an MBROLA voice the events count from a start about 1000 samples before the first
    returned sample, and the last (end) event lands that far past the audio's end: the events
    are shifted back by that amount, so the final event ends exactly with the audio as it does
    for espeak-ng's own voices.
    """
    if _LIB.espeak_SetVoiceByName(voice.encode()) != 0:
        raise ValueError(f"unknown espeak-ng voice {voice}")
    for k, v in (("rate", rate), ("pitch", pitch), ("range", prange), ("wordgap", wordgap), ("volume", volume)):
        _LIB.espeak_SetParameter(_PARAM[k], int(v), 0)
    _state["chunks"], _state["events"] = [], []
    data = text.encode("utf-8") + b"\0"
    _LIB.espeak_Synth(data, len(data), 0, 1, 0, 1, None, None)  # POS_CHARACTER, CHARS_UTF8
    _LIB.espeak_Synchronize()
    audio = np.concatenate(_state["chunks"]) if _state["chunks"] else np.zeros(0, np.int16)
    events = [(s, p) for s, _ms, p in _state["events"]]
    if voice.startswith("mb-") and events and events[-1][0] > len(audio):
        shift = events[-1][0] - len(audio)
        events = [(max(0, s - shift), p) for s, p in events]
    return audio, events


STOP_INITIALS = set("pbtdkgcq")  # espeak-ng mnemonics of stops and affricates start with one of these
CLOSURE_DB = 18.0  # a closure is this far below the loudest moment of the sound before it
MIN_KEEP_S, MAX_CLOSURE_S = 0.02, 0.2


def closures_to_stops(audio, sr, events):
    """Move each stop's start back to the start of its closure, for espeak-ng's own voices.

    espeak-ng reports a stop (p, b, t, d, k, g, tS, ...) at its burst: the silent or voice-bar
    closure before it is reported as the end of the previous sound. The mouth is already in the
    stop's shape then (lips shut for p, b), and Festival, MBROLA and the judging voices all put the
    closure inside the stop, so the closure goes to the stop: the stretch right before the event
    that stays CLOSURE_DB below the loudest 5 ms of the previous sound (at most 200 ms, leaving the
    previous sound at least 20 ms). A stop after a pause keeps its start (the mouth is closed in
    both). events: [(start_sample, phoneme)], as synth returns them; returns a new list.
    """
    hop = max(1, sr // 200)
    x = audio.astype(np.float64)
    n = len(x) // hop
    db = 10 * np.log10(np.mean(x[: n * hop].reshape(n, hop) ** 2, 1) + 1e-3) if n else np.zeros(0)
    out = list(events)
    for i in range(1, len(events)):
        start, ph = events[i]
        prev_start, prev = out[i - 1]
        if not ph or ph[0] not in STOP_INITIALS or prev.startswith("_") or start // hop > n:
            continue
        lo = prev_start // hop + int(MIN_KEEP_S * sr) // hop
        hi = start // hop
        if hi - lo < 1:
            continue
        ref = db[prev_start // hop: hi].max()
        j = hi
        while j > max(lo, hi - int(MAX_CLOSURE_S * sr) // hop) and db[j - 1] < ref - CLOSURE_DB:
            j -= 1
        if j < hi:
            out[i] = (j * hop, ph)
    return out


if __name__ == "__main__":
    a, ev = synth("Hello world, this is a test.", "en-us+m3")
    print(SAMPLE_RATE, len(a), ev)
    a, ev = synth("Guten Morgen, wie geht es dir?", "de")
    print(len(a), ev)
