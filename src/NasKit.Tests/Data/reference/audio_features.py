"""Independent reference for AudioFeaturesTests: FSDD clips to log-mel and MFCC with numpy/scipy (Debian's python3-scipy).

Textbook definitions, written without NWaves: centre pad/crop to 1 s, Hann window of 320 samples (symmetric,
0.5 - 0.5 cos(2 pi n / (N - 1))), hop 160, |rfft(512)|^2, 40 triangular filters evenly spaced on mel = 1127 ln(1 + f/700)
between 20 and 4000 Hz, natural log floored at 1e-6, orthonormal DCT-II, first 10 coefficients.
Run: NASKIT_DATA=../shared/data /usr/bin/python3 src/NasKit.Tests/Data/reference/audio_features.py
"""
import os
import numpy as np
from scipy.io import wavfile
from scipy.fft import dct

ROOT = os.path.join(os.environ.get("NASKIT_DATA", "datasets"), "fsdd", "recordings")
SR, CLIP, FRAME, HOP, NFFT, BANDS, COEFFS = 8000, 8000, 320, 160, 512, 40, 10


def clip(name):
    rate, x = wavfile.read(os.path.join(ROOT, name + ".wav"))
    assert rate == SR and x.dtype == np.int16
    x = x.astype(np.float64) / 32768.0
    out = np.zeros(CLIP)
    if len(x) >= CLIP:
        start = (len(x) - CLIP) // 2
        out[:] = x[start:start + CLIP]
    else:
        start = (CLIP - len(x)) // 2
        out[start:start + len(x)] = x
    return out


def log_mel(x):
    mel = lambda f: 1127 * np.log(1 + f / 700)
    imel = lambda m: 700 * (np.exp(m / 1127) - 1)
    edges = imel(np.linspace(mel(20), mel(4000), BANDS + 2))
    freqs = np.arange(NFFT // 2 + 1) * SR / NFFT
    bank = np.zeros((BANDS, NFFT // 2 + 1))
    for b in range(BANDS):
        lo, c, hi = edges[b:b + 3]
        bank[b] = np.clip(np.minimum((freqs - lo) / (c - lo), (hi - freqs) / (hi - c)), 0, None)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(FRAME) / (FRAME - 1))
    frames = 1 + (CLIP - FRAME) // HOP
    power = np.abs(np.fft.rfft(np.stack([x[t * HOP:t * HOP + FRAME] * window for t in range(frames)]), NFFT)) ** 2
    return np.log(np.maximum(power @ bank.T, 1e-6))


for name in ["0_george_0", "7_jackson_32", "9_yweweler_49", "3_lucas_7"]:
    lm = log_mel(clip(name))
    mf = dct(lm, type=2, norm="ortho", axis=1)[:, :COEFFS]
    for kind, m, (t, j) in [("logmel", lm, (25, 20)), ("mfcc", mf, (25, 5))]:
        print(f'["{name}", "{kind}", {m.sum():.6f}, {(m ** 2).sum():.4f}, {m[0, 0]:.6f}, {m[22, 3]:.6f}, {m[t, j]:.6f}, {m[28, 9]:.6f}],')
