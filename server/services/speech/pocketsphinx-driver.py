#!/usr/bin/python3
"""Long-lived pocketsphinx recogniser for the embedded STT (server/services/speech/pocketsphinx-engine.ts).

One process serves many utterances, several at once, each on its own decoder (decoders are kept and
reused: loading one takes ~0.3 s, so no utterance waits for it after the first). Audio is decoded as
it arrives, so ending an utterance only runs the final search pass.

stdin: frames of  kind (1 byte) | utterance id (uint32 LE) | length (uint32 LE) | payload
  S start an utterance   A audio: PCM16 LE mono 16 kHz   E end: answer the final text   X abort (no answer)
stdout: one JSON object a line
  {"type":"ready"}  {"type":"partial","id","text"}  {"type":"final","id","text","audioMs","endMs"}
  {"type":"error","id","message"}  (the utterance is dropped; the process carries on)
A frame that breaks the framing (unknown kind, oversize) ends the process with status 2: the
server restarts it, since the byte stream can no longer be trusted.
"""
import argparse
import json
import struct
import sys
import time

from pocketsphinx import pocketsphinx as ps

MAX_FRAME = 1 << 20  # 32 s of audio in one frame is far beyond what the server sends (it sends ~32 ms)
PARTIAL_EVERY = 16000 * 2 * 3 // 10  # bytes of audio between partial hypotheses (0.3 s)


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--hmm", required=True)
    p.add_argument("--lm", required=True)
    p.add_argument("--dict", required=True)
    p.add_argument("--warm", type=int, default=1, help="decoders loaded before answering ready")
    return p.parse_args()


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def read_exact(stream, n):
    buf = b""
    while len(buf) < n:
        chunk = stream.read(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def main():
    args = parse_args()

    def new_decoder():
        c = ps.Decoder.default_config()
        c.set_string("-hmm", args.hmm)
        c.set_string("-lm", args.lm)
        c.set_string("-dict", args.dict)
        c.set_string("-logfn", "/dev/null")
        # The flat-lexicon second pass costs ~200 ms at the end of each utterance and changed the word
        # error rate on our espeak-ng questions by under one point; a live turn cannot wait for it.
        c.set_boolean("-fwdflat", False)
        return ps.Decoder(c)

    free = [new_decoder() for _ in range(max(0, args.warm))]
    active = {}  # id -> [decoder, audio bytes, bytes since partial, last partial]
    emit({"type": "ready"})
    stdin = sys.stdin.buffer

    def drop(uid):
        entry = active.pop(uid, None)
        if entry is None:
            return
        try:
            entry[0].end_utt()
        except Exception:  # noqa: BLE001 - a decoder that cannot end is discarded, not reused
            return
        free.append(entry[0])

    while True:
        head = read_exact(stdin, 9)
        if head is None:
            return 0
        kind, uid, length = struct.unpack("<cII", head)
        if length > MAX_FRAME or kind not in (b"S", b"A", b"E", b"X"):
            emit({"type": "error", "id": uid, "message": "bad frame (kind %r, %d bytes): stream out of sync" % (kind, length)})
            return 2
        payload = read_exact(stdin, length) if length else b""
        if payload is None:
            return 0
        try:
            if kind == b"S":
                if uid in active:
                    raise ValueError("utterance %d is already open" % uid)
                decoder = free.pop() if free else new_decoder()
                decoder.start_utt()
                active[uid] = [decoder, 0, 0, ""]
            elif kind == b"A":
                entry = active.get(uid)
                if entry is None:
                    continue  # audio for an utterance that failed or was aborted: already answered
                if len(payload) % 2:
                    payload = payload[:-1]
                entry[0].process_raw(payload, False, False)
                entry[1] += len(payload)
                entry[2] += len(payload)
                if entry[2] >= PARTIAL_EVERY:
                    entry[2] = 0
                    hyp = entry[0].hyp()
                    text = hyp.hypstr if hyp else ""
                    if text and text != entry[3]:
                        entry[3] = text
                        emit({"type": "partial", "id": uid, "text": text})
            elif kind == b"E":
                entry = active.pop(uid, None)
                if entry is None:
                    raise ValueError("utterance %d is not open" % uid)
                t = time.perf_counter()
                entry[0].end_utt()
                hyp = entry[0].hyp()
                free.append(entry[0])
                emit({
                    "type": "final",
                    "id": uid,
                    "text": hyp.hypstr if hyp else "",
                    "audioMs": entry[1] // 32,
                    "endMs": round((time.perf_counter() - t) * 1000, 1),
                })
            else:
                drop(uid)
        except Exception as error:  # noqa: BLE001 - one bad utterance must not end the others
            drop(uid)
            emit({"type": "error", "id": uid, "message": str(error)})


if __name__ == "__main__":
    sys.exit(main())
