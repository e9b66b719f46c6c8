"""Builds the VAD evaluation set reproducibly (seeded): clean speech labelled per 10 ms frame
from the clean signal, mixed with noises at 20, 10, 5 and 0 dB SNR, plus speech-free noise.

Speech: Debian's pocketsphinx-testdata recordings and espeak-ng TTS utterances from several
voices. Train and test are disjoint by voice/recording. Noises are made here (white, pink, fan:
brown noise with blade-rate modulation and a motor tone, hum: 50 Hz and harmonics over faint
noise) or from speech (babble: 6 overlapping utterances of the same split, not the target's).

    python bench/eval_vad/make_set.py [--out DIR] [--items-test 12] [--items-train 24]
                                      [--noise-seconds 120]

Writes DIR/{train,test}/<name>.wav (16 kHz int16), <name>.labels.npy (uint8 per 10 ms frame;
absent for speech-free files) and DIR/manifest.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import tempfile

import numpy as np
import soundfile as sf

SR = 16000
FRAME = 160  # label resolution: 10 ms
SPEECH_DIR = os.environ.get("EARSHOT_SPEECH_DIR", "/usr/share/pocketsphinx/test/data")
NOISES = ["white", "pink", "babble", "hum", "fan"]
SNRS = [20, 10, 5, 0]
# Voice-disjoint split of espeak-ng voices (+variant).
VOICES = {
    "train": ["en-us+m3", "en-gb+f2", "en-gb-scotland+m1", "en-029+f4", "en-us+Andy",
              "en-gb-x-rp+Annie"],
    "test": ["en-us+f3", "en-gb+m4", "en-gb-x-gbclan+Alicia", "en-us+Benjamin",
             "en-gb-x-rp+m2"],
}
RECORDINGS = {
    "train": ["cards/001.wav", "cards/002.wav", "cards/003.wav", "cards/004.wav", "cards/005.wav",
              "goforward.raw", "tidigits/dhd.2934z.raw"],
    "test": ["librivox/sense_and_sensibility_01_austen_64kb-0870.wav",
             "librivox/sense_and_sensibility_01_austen_64kb-0880.wav",
             "librivox/sense_and_sensibility_01_austen_64kb-0890.wav",
             "librivox/sense_and_sensibility_01_austen_64kb-0920.wav",
             "librivox/sense_and_sensibility_01_austen_64kb-0930.wav",
             "numbers.raw", "something.raw"],
}
SENTENCES = [
    "Turn on the kitchen lights.", "What is the weather like tomorrow morning?",
    "Set a timer for twenty minutes.", "Play some quiet music in the living room.",
    "Remind me to call my sister at six.", "How far is it to the nearest train station?",
    "Open the garage door.", "The quick brown fox jumps over the lazy dog.",
    "Please add milk, eggs and bread to the shopping list.", "Dim the bedroom lights to thirty percent.",
    "Who won the football match last night?", "Lock the front door and arm the alarm.",
    "It was a bright cold day in April, and the clocks were striking thirteen.",
    "Can you read me the latest news headlines?", "Switch the heating off at ten o'clock.",
    "My flight leaves at half past seven on Thursday.", "Call mum on speakerphone.",
    "Is it going to rain this afternoon?", "Skip this song and turn the volume down a little.",
    "Seven, four, nine, two, zero, one.", "Tell me a joke about computers.",
    "The meeting has been moved to the small conference room.", "Stop.",
    "Good morning, what do I have on my calendar today?", "Yes, please.",
    "Navigate to the nearest petrol station with a coffee shop.",
    "She sells sea shells by the sea shore.", "Water the plants in the garden at sunset.",
    "How many tablespoons are in a cup?", "Send a message to Alex saying I will be late.",
]


def read_recording(rel: str) -> np.ndarray:
    path = os.path.join(SPEECH_DIR, rel)
    if path.endswith(".raw"):
        return np.fromfile(path, "<i2").astype(np.float32) / 32768.0
    x, sr = sf.read(path, dtype="float32")
    assert sr == SR, path
    return x if x.ndim == 1 else x.mean(1)


def tts(text: str, voice: str, speed: int, pitch: int, tmp: str) -> np.ndarray:
    raw = os.path.join(tmp, "tts.wav")
    out = os.path.join(tmp, "tts16.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", raw, text],
                   check=True, capture_output=True)
    subprocess.run(["sox", raw, "-r", str(SR), "-b", "16", out], check=True, capture_output=True)
    return sf.read(out, dtype="float32")[0]


def frame_db(x: np.ndarray) -> np.ndarray:
    n = len(x) // FRAME
    e = np.mean(x[:n * FRAME].reshape(n, FRAME) ** 2, 1)
    return 10 * np.log10(e + 1e-12)


def label_clean(x: np.ndarray) -> np.ndarray:
    """Speech frames of a clean utterance: energy above both its noise floor + 12 dB and its
    peak - 40 dB; gaps up to 150 ms inside speech are filled, blips under 30 ms dropped."""
    db = frame_db(x)
    if len(db) == 0:
        return np.zeros(0, np.uint8)
    floor = np.percentile(db, 10)
    thr = max(floor + 12.0, db.max() - 40.0, -80.0)
    lab = (db > thr).astype(np.uint8)
    idx = np.flatnonzero(lab)
    if len(idx):
        for a, b in zip(idx[:-1], idx[1:]):
            if 1 < b - a <= 16:
                lab[a:b] = 1
    # drop runs shorter than 3 frames
    runs = np.flatnonzero(np.diff(np.concatenate([[0], lab, [0]])))
    for s, e in zip(runs[::2], runs[1::2]):
        if e - s < 3:
            lab[s:e] = 0
    return lab


def colored_noise(n: int, rng, exponent: float) -> np.ndarray:
    """1/f^exponent noise by spectral shaping (0 white, 1 pink, 2 brown)."""
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / SR)
    f[0] = f[1]
    spec /= f ** (exponent / 2)
    y = np.fft.irfft(spec, n)
    return y / (np.std(y) + 1e-12)


def make_noise(kind: str, n: int, rng, babble_pool: list[np.ndarray]) -> np.ndarray:
    t = np.arange(n) / SR
    if kind == "white":
        y = rng.standard_normal(n)
    elif kind == "pink":
        y = colored_noise(n, rng, 1.0)
    elif kind == "fan":
        base = colored_noise(n, rng, 1.6)
        blade = 1.0 + 0.3 * np.sin(2 * np.pi * rng.uniform(15, 30) * t)
        motor = 0.2 * np.sin(2 * np.pi * rng.uniform(90, 140) * t)
        y = base * blade + motor
    elif kind == "hum":
        f0 = 50.0 if rng.random() < 0.5 else 60.0
        y = sum(a * np.sin(2 * np.pi * f0 * k * t + rng.uniform(0, 6.28))
                for k, a in zip(range(1, 8), [1.0, 0.6, 0.5, 0.3, 0.2, 0.12, 0.08]))
        y = y + 0.05 * colored_noise(n, rng, 1.0)
    elif kind == "babble":
        y = np.zeros(n)
        for _ in range(6):
            pos = 0
            while pos < n:  # a talker: utterances back to back with short pauses
                u = babble_pool[rng.integers(len(babble_pool))]
                u = u / (np.std(u) + 1e-9)
                pos += int(rng.uniform(0, 0.3) * SR)
                m = min(len(u), n - pos)
                if m > 0:
                    y[pos:pos + m] += u[:m]
                pos += len(u)
    else:
        raise ValueError(kind)
    return (y / (np.std(y) + 1e-12)).astype(np.float64)


def build_item(utts, rng):
    """3-5 utterances with pauses of 0.3-2 s and 0.5-1.5 s of silence around."""
    k = int(rng.integers(3, 6))
    picks = [utts[i] for i in rng.choice(len(utts), size=k, replace=False)]
    parts, labels = [], []

    def gap(lo, hi):
        g = int(rng.uniform(lo, hi) * SR) // FRAME * FRAME
        parts.append(np.zeros(g, np.float32))
        labels.append(np.zeros(g // FRAME, np.uint8))

    gap(0.5, 1.5)
    for j, (x, lab) in enumerate(picks):
        n = len(lab) * FRAME
        parts.append(x[:n])
        labels.append(lab)
        gap(0.3, 2.0) if j + 1 < k else gap(0.5, 1.5)
    return np.concatenate(parts), np.concatenate(labels)


def mix(clean, labels, noise_kind, snr_db, rng, babble_pool):
    noise = make_noise(noise_kind, len(clean), rng, babble_pool)
    active = np.repeat(labels.astype(bool), FRAME)[:len(clean)]
    p_speech = np.mean(clean[active] ** 2) if active.any() else np.mean(clean ** 2)
    noise *= np.sqrt(p_speech / 10 ** (snr_db / 10))
    y = clean + noise
    # A random speech level between -32 and -12 dBFS RMS, never clipping.
    gain = 10 ** (rng.uniform(-32, -12) / 20) / (np.sqrt(p_speech) + 1e-9)
    gain = min(gain, 0.95 / (np.max(np.abs(y)) + 1e-9))
    return (y * gain * 32767).round().clip(-32768, 32767).astype(np.int16)


def utterances(split: str, rng, tmp: str):
    out = []
    for rel in RECORDINGS[split]:
        x = read_recording(rel)
        out.append((x, label_clean(x)))
    sentences = list(SENTENCES)
    for i, voice in enumerate(VOICES[split]):
        for j in rng.choice(len(sentences), size=10, replace=False):
            x = tts(sentences[j], voice, int(rng.integers(130, 190)), int(rng.integers(30, 70)),
                    tmp)
            out.append((x, label_clean(x)))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(
        os.environ.get("EARSHOT_CACHE_DIR", os.path.expanduser("~/.cache/earshot")), "eval_vad"))
    ap.add_argument("--items-test", type=int, default=8)
    ap.add_argument("--items-train", type=int, default=16)
    ap.add_argument("--noise-seconds", type=float, default=120.0,
                    help="speech-free audio per noise type (test split)")
    ap.add_argument("--seed", type=int, default=20240611)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    manifest = {"seed": args.seed, "files": []}
    with tempfile.TemporaryDirectory() as tmp:
        for split, items in (("train", args.items_train), ("test", args.items_test)):
            d = os.path.join(args.out, split)
            os.makedirs(d, exist_ok=True)
            utts = utterances(split, rng, tmp)
            pool = [u[0] for u in utts]
            for item in range(items):
                clean, labels = build_item(utts, rng)
                for noise in NOISES:
                    for snr in SNRS:
                        name = f"{split}-{item:03d}-{noise}-{snr}dB"
                        y = mix(clean, labels, noise, snr, rng, pool)
                        sf.write(os.path.join(d, name + ".wav"), y, SR, subtype="PCM_16")
                        np.save(os.path.join(d, name + ".labels.npy"), labels)
                        manifest["files"].append({"split": split, "name": name, "noise": noise,
                                                  "snr": snr, "speech_free": False})
            seconds = args.noise_seconds if split == "test" else args.noise_seconds / 2
            for noise in NOISES:
                n = int(seconds * SR)
                y = make_noise(noise, n, rng, pool) * 10 ** (rng.uniform(-45, -20) / 20)
                y = (y * 32767).round().clip(-32768, 32767).astype(np.int16)
                name = f"{split}-nospeech-{noise}"
                sf.write(os.path.join(d, name + ".wav"), y, SR, subtype="PCM_16")
                np.save(os.path.join(d, name + ".labels.npy"), np.zeros(n // FRAME, np.uint8))
                manifest["files"].append({"split": split, "name": name, "noise": noise,
                                          "snr": None, "speech_free": True})
    digest = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()[:16]
    manifest["digest"] = digest
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    n = len(manifest["files"])
    print(f"{n} files in {args.out} (manifest {digest})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
