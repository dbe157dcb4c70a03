"""Write fixtures/previous-model-judging.json: the model being replaced, measured by
`npm run bench:visemes --ours-only --model OLD.onnx --json F` on the new run's judging sets,
so write_card.py can put the two models side by side on the same utterances.

  python3 previous_model.py NAME OLD.onnx CLEAN.json CHANNEL.json PLATFORM.json "how it was measured"
"""
import hashlib
import json
import os
import sys


def ours(path, keys):
    s = json.load(open(path))["systems"][0]
    if not s["name"].startswith("ours"):
        raise SystemExit(f"{path}: the first system is {s['name']!r}, not ours")
    return {k: s[k] for k in keys}


def main():
    if len(sys.argv) != 7:
        raise SystemExit(__doc__)
    name, onnx, clean, channel, platform, measured = sys.argv[1:]
    fixture = {
        "model": name,
        "sha256": hashlib.sha256(open(onnx, "rb").read()).hexdigest(),
        "measured": measured,
        "judgingClean": ours(clean, ("accuracy", "coarseAccuracy", "perVoice", "perSex")),
        "judgingChannel": ours(channel, ("accuracy", "coarseAccuracy", "perVoice", "perSex")),
        "platformTts": ours(platform, ("accuracy", "coarseAccuracy", "perVoice")),
    }
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures/previous-model-judging.json")
    with open(out, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    print(f"wrote {out}: {name} {100 * fixture['judgingClean']['accuracy']:.1f}% / "
          f"{100 * fixture['judgingClean']['coarseAccuracy']:.1f}% clean")


if __name__ == "__main__":
    main()
