"""Parity: every inference of earshot's wake-word stage (`earshot kws --dump-steps`) gives the
same uint8 output as the TFLite C runtime of pymicro-wakeword on the same features, for all
four models, over real recordings (pocketsphinx-testdata) and synthetic audio (espeak-ng wake
phrases, noise, tones driven into clipping, digital silence): about 4 minutes of audio.

Run by ctest (earshot_pytest); needs EARSHOT_BIN and the converted models.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent))
import kws_tflite_ref as ref  # noqa: E402

SPEECH = Path(os.environ.get("EARSHOT_SPEECH_DIR", "/usr/share/pocketsphinx/test/data"))
RATE = 16000


def read_raw(path: Path) -> np.ndarray:
    return np.fromfile(path, dtype="<i2")


def read_wav16k(path: Path) -> np.ndarray:
    data, rate = sf.read(path, dtype="int16")
    assert rate == RATE, f"{path}: {rate} Hz"
    return data if data.ndim == 1 else data[:, 0]


def real_audio() -> np.ndarray:
    parts = [read_raw(SPEECH / n) for n in ("goforward.raw", "numbers.raw", "something.raw")]
    parts += [read_wav16k(p) for p in sorted((SPEECH / "librivox").glob("*.wav"))]
    parts += [read_wav16k(p) for p in sorted((SPEECH / "cards").glob("*.wav"))[:6]]
    return np.concatenate(parts)


def espeak(text: str, speed: int, pitch: int, voice: str) -> np.ndarray:
    with tempfile.TemporaryDirectory() as d:
        wav = Path(d) / "s.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w",
                        str(wav), text], check=True, capture_output=True)
        data, rate = sf.read(wav, dtype="float32")
    # espeak-ng writes 22050 Hz: linear-interpolate to 16 kHz (any fixed audio will do here).
    t = np.arange(int(len(data) * RATE / rate)) * rate / RATE
    return np.interp(t, np.arange(len(data)), data).astype(np.float32)


def synthetic_audio() -> np.ndarray:
    rng = np.random.default_rng(7)
    pieces = []
    phrases = ["okay nabu", "hey jarvis", "alexa", "hey mycroft",
               "hey jarvis, turn on the kitchen lights", "alexa what time is it"]
    voices = ["en-us", "en", "en-us+f3", "en+m3"]
    if shutil.which("espeak-ng"):
        for i, text in enumerate(phrases * 2):
            s = espeak(text, speed=130 + 25 * (i % 3), pitch=35 + 15 * (i % 4),
                       voice=voices[i % len(voices)])
            gain = [0.3, 0.9, 0.05][i % 3]
            pieces += [np.zeros(RATE // 2, np.float32), gain * s]
    # White noise at several levels, a tone sweep into clipping, digital silence.
    for level in (0.001, 0.03, 0.3):
        pieces.append(level * rng.standard_normal(RATE * 3).astype(np.float32))
    t = np.arange(RATE * 4) / RATE
    pieces.append(np.clip(3.0 * np.sin(2 * np.pi * (200 + 900 * t) * t), -1, 1).astype(np.float32))
    pieces.append(np.zeros(RATE * 2, np.float32))
    x = np.concatenate(pieces)
    return np.clip(np.round(x * 32767), -32768, 32767).astype(np.int16)


def check(name: str, audio: np.ndarray, workdir: Path) -> int:
    wav = workdir / f"{name}.wav"
    sf.write(wav, audio, RATE, subtype="PCM_16")
    dump = workdir / f"{name}.steps"
    cmd = [os.environ["EARSHOT_BIN"], "kws", "--dump-steps", str(dump)]
    for k in ref.KEYWORDS:
        cmd += ["--keyword", k]
    subprocess.run(cmd + [str(wav)], check=True, capture_output=True)
    ours = ref.read_steps(dump)
    frames = ref.features(audio)
    failures = 0
    for k in ref.KEYWORDS:
        theirs = ref.TfliteKws(k).run(frames)
        mine = ours.get(k)
        if mine is None or len(mine) != len(theirs):
            print(f"FAIL {name}/{k}: {None if mine is None else len(mine)} steps vs "
                  f"{len(theirs)} from TFLite")
            failures += 1
            continue
        diff = np.flatnonzero(mine != theirs)
        print(f"{name}/{k}: {len(theirs)} steps, {len(diff)} differ, output range "
              f"{theirs.min()}..{theirs.max()}")
        if len(diff):
            i = diff[0]
            print(f"  first difference at step {i}: earshot {mine[i]}, TFLite {theirs[i]}")
            failures += 1
        if theirs.max() == theirs.min():
            print(f"FAIL {name}/{k}: constant output, the test exercises nothing")
            failures += 1
    return failures


def main() -> int:
    with tempfile.TemporaryDirectory() as d:
        work = Path(d)
        failures = check("real", real_audio(), work)
        failures += check("synthetic", synthetic_audio(), work)
    print("OK" if failures == 0 else f"{failures} failures")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
