"""Seeded TTS evaluation audio for bench/eval_asr (eval_asr.py calls make_tts_set()).

Every text of sentences.py is spoken by espeak-ng with `voices_per_text` voices drawn from
VOICES (rate 140-175 words per minute, pitch 35-65), resampled to 16 kHz, 0.25 s of silence
either side, peak 0.5. Each clip also exists mixed with noise at 10 dB SNR (speech power over
the spoken part; white, pink or babble of four pocketsphinx-testdata talkers, chosen per clip).
Plus 60 s of digital silence and 60 s each of pink and white noise, for the "no speech, no
text" check.

Output: <cache>/tts-seed<S>-v<N>/{clean,noisy,null}/*.wav and manifest.json (one entry per
file: path, ref, set, kind, voice, rate, pitch, noise, duration). Made once, then reused.

  ~/.cache/earshot/venv/bin/python bench/eval_asr/make_tts_set.py [--voices-per-text 3]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

from sentences import COMMANDS, LONG

RATE = 16000
SNR_DB = 10.0
PAD_S = 0.25
SPEECH = Path(os.environ.get("EARSHOT_SPEECH_DIR", "/usr/share/pocketsphinx/test/data"))
DEFAULT_CACHE = Path.home() / ".cache/earshot/eval_asr"
# espeak-ng voices and variants (+f = female, +m = male, klatt = formant synthesiser).
VOICES = ["en-us", "en-gb", "en-us+f3", "en-us+m4", "en-gb+f2", "en+m2", "en-gb-scotland",
          "en-029", "en-gb-x-rp", "en-us+klatt4", "en-us+f5", "en-gb-x-gbclan"]
NOISES = ["white", "pink", "babble"]


def speak(text: str, voice: str, rate: int, pitch: int) -> np.ndarray:
    """espeak-ng speech as float32 at 16 kHz (espeak-ng writes 22050 Hz)."""
    with tempfile.NamedTemporaryFile(suffix=".wav") as tmp:
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-w",
                        tmp.name, text], check=True, capture_output=True)
        x, sr = sf.read(tmp.name, dtype="float32")
    if sr != 22050:
        raise RuntimeError(f"espeak-ng wrote {sr} Hz, expected 22050")
    return resample_poly(x, 320, 441).astype(np.float32)  # 22050 * 320 / 441 = 16000


def pink(n: int, rng: np.random.Generator) -> np.ndarray:
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n)
    spec[1:] /= np.sqrt(f[1:])
    spec[0] = 0
    x = np.fft.irfft(spec, n)
    return (x / np.std(x)).astype(np.float32)


def babble_source() -> np.ndarray:
    """All pocketsphinx-testdata WAV speech, end to end (the babble talkers draw from it)."""
    parts = []
    for p in sorted(SPEECH.glob("**/*.wav")):
        x, sr = sf.read(p, dtype="float32")
        if sr == RATE and x.ndim == 1:
            parts.append(x / (np.std(x) + 1e-9))
    if not parts:
        raise RuntimeError(f"no 16 kHz mono WAV speech under {SPEECH} for babble noise")
    return np.concatenate(parts)


def babble(n: int, rng: np.random.Generator, source: np.ndarray) -> np.ndarray:
    x = np.zeros(n, np.float32)
    for _ in range(4):
        start = int(rng.integers(0, len(source) - n)) if len(source) > n else 0
        seg = np.resize(source[start:start + n], n)
        x += seg
    return x / np.std(x)


def noise(kind: str, n: int, rng: np.random.Generator, source: np.ndarray) -> np.ndarray:
    if kind == "white":
        return rng.standard_normal(n).astype(np.float32)
    if kind == "pink":
        return pink(n, rng)
    return babble(n, rng, source)


def mix_at_snr(clean: np.ndarray, speech: np.ndarray, nz: np.ndarray,
               snr_db: float) -> np.ndarray:
    """clean + noise scaled to `snr_db` below the power of `speech` (the spoken part, the
    padding excluded), scaled down together if the sum would clip."""
    p_speech = float(np.mean(speech.astype(np.float64) ** 2))
    nz = nz * (np.sqrt(p_speech / 10 ** (snr_db / 10)) / (np.std(nz) + 1e-12))
    out = clean + nz
    return (out * min(1.0, 0.95 / np.max(np.abs(out)))).astype(np.float32)


def write(path: Path, x: np.ndarray) -> float:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.clip(x, -1, 1), RATE, subtype="PCM_16")
    return len(x) / RATE


def make_tts_set(cache: Path = DEFAULT_CACHE, seed: int = 1, voices_per_text: int = 1) -> Path:
    """Makes the set (once) and returns the path of its manifest.json."""
    root = cache / f"tts-seed{seed}-v{voices_per_text}"
    manifest = root / "manifest.json"
    if manifest.exists():
        return manifest
    rnd = random.Random(seed)
    source = babble_source()
    pad = np.zeros(int(PAD_S * RATE), np.float32)
    entries = []
    texts = [("command", t) for t in COMMANDS] + [("long", t) for t in LONG]
    voice_cycle = VOICES[:]
    rnd.shuffle(voice_cycle)
    k = 0
    for i, (kind, text) in enumerate(texts):
        for j in range(voices_per_text):
            voice = voice_cycle[k % len(voice_cycle)]
            k += 1
            rate, pitch = rnd.randint(140, 175), rnd.randint(35, 65)
            speech = speak(text, voice, rate, pitch)
            speech *= 0.5 / (np.max(np.abs(speech)) + 1e-9)
            clean = np.concatenate([pad, speech, pad])
            name = f"{kind}{i:02d}_{j}_{voice.replace('+', '_')}"
            common = {"ref": text, "kind": kind, "voice": voice, "rate": rate, "pitch": pitch}
            dur = write(root / "clean" / f"{name}.wav", clean)
            entries.append({"path": str(root / "clean" / f"{name}.wav"), "set": "tts_clean",
                            "noise": "none", "duration": dur, **common})
            kind_n = rnd.choice(NOISES)
            rng = np.random.default_rng([seed, i, j])
            noisy = mix_at_snr(clean, speech, noise(kind_n, len(clean), rng, source), SNR_DB)
            write(root / "noisy" / f"{name}.wav", noisy)
            entries.append({"path": str(root / "noisy" / f"{name}.wav"), "set": "tts_noisy",
                            "noise": f"{kind_n}{SNR_DB:.0f}dB", "duration": dur, **common})
    rng = np.random.default_rng([seed, 999])
    n = 60 * RATE
    for name, x in [("silence_60s", np.zeros(n, np.float32)),
                    ("pink_noise_60s", 0.05 * pink(n, rng)),  # about -26 dBFS
                    ("white_noise_60s", 0.03 * rng.standard_normal(n).astype(np.float32))]:
        write(root / "null" / f"{name}.wav", x)
        entries.append({"path": str(root / "null" / f"{name}.wav"), "set": "null", "ref": "",
                        "kind": "null", "voice": "", "rate": 0, "pitch": 0, "noise": name,
                        "duration": 60.0})
    tmp = manifest.with_suffix(".tmp")
    tmp.write_text(json.dumps(entries, indent=1))
    tmp.rename(manifest)
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--voices-per-text", type=int, default=1)
    a = ap.parse_args()
    m = make_tts_set(a.cache, a.seed, a.voices_per_text)
    entries = json.loads(m.read_text())
    for s in ("tts_clean", "tts_noisy", "null"):
        e = [x for x in entries if x["set"] == s]
        print(f"{s}: {len(e)} files, {sum(x['duration'] for x in e):.1f} s")
    print(m)


if __name__ == "__main__":
    main()
