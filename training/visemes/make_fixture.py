"""Write core/audio/fixtures/log-mel-reference.json: numpy/scipy reference values
for the TypeScript log-mel test. The test signal is a formula (both sides
compute it), rounded to float32 because that is what the TS code receives."""
import json
import os

import numpy as np
from scipy import signal as sps

import features

N = 8000


def test_signal():
    n = np.arange(N, dtype=np.float64)
    x = (0.3 * np.sin(2 * np.pi * 440 * n / 16000) + 0.2 * np.sin(2 * np.pi * 3000 * n / 16000 + 0.3)
         + 0.1 * np.sin(2 * np.pi * (200 + 2000 * n / 8000) * n / 16000))
    x[4000:4800] = 0.0
    return x.astype(np.float32).astype(np.float64)


def main():
    x = test_signal()
    # cross-check our window and filterbank against scipy's own definitions
    assert np.allclose(features.WINDOW, sps.get_window("hann", features.WIN, fftbins=True))
    mel = features.log_mel(x)
    out = dict(
        description="features.log_mel on the test signal defined in make_fixture.py (and log-mel.test.ts)",
        samples=N, frames=int(mel.shape[0]), melBins=int(mel.shape[1]),
        values=[round(float(v), 5) for v in mel.reshape(-1)],
        filterbankRowSums=[round(float(v), 6) for v in features.FB.sum(axis=1)],
    )
    path = os.path.join(os.path.dirname(__file__), "../../core/audio/fixtures/log-mel-reference.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print(path, mel.shape)


if __name__ == "__main__":
    main()
