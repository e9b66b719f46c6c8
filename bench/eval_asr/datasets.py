"""The evaluation files with their reference texts.

testdata: pocketsphinx-testdata recordings whose transcript is published with them:
  librivox/*.wav (librivox/transcription), cards/*.wav (cards/cards.transcription),
  goforward.raw ("go forward ten meters", pocketsphinx's own FSG/JSGF tests) and
  tidigits/dhd.2934z.raw ("two nine three four zero", pocketsphinx's python tests).
  The .raw files (16 kHz s16le mono) are copied into WAV files in the cache, since neither
  earshot nor faster-whisper reads headerless audio. numbers.raw and something.raw are left
  out: no reference text for them is published.
tts_clean / tts_noisy / null: made by make_tts_set.py.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from make_tts_set import DEFAULT_CACHE, RATE, make_tts_set

SPEECH = Path(os.environ.get("EARSHOT_SPEECH_DIR", "/usr/share/pocketsphinx/test/data"))
RAW_REFS = {"goforward.raw": "go forward ten meters",
            "tidigits/dhd.2934z.raw": "two nine three four zero"}


@dataclass(frozen=True)
class Utterance:
    path: str
    ref: str  # "" for the no-speech files
    set: str  # testdata, tts_clean, tts_noisy, null
    kind: str  # read, command, long, null
    duration: float


def _sphinx_transcription(path: Path) -> dict[str, str]:
    """'<s> text </s> (id)' lines -> {id: text}."""
    refs = {}
    for line in path.read_text().splitlines():
        m = re.match(r"\s*(?:<s>)?\s*(.*?)\s*(?:</s>)?\s*\(([^)]*)\)\s*$", line)
        if m:
            refs[m.group(2)] = m.group(1)
    return refs


def _raw_as_wav(raw: Path, cache: Path) -> Path:
    out = cache / "testdata" / (raw.stem + ".wav")
    if not out.exists():
        x = np.fromfile(raw, dtype="<i2")
        out.parent.mkdir(parents=True, exist_ok=True)
        sf.write(out, x, RATE, subtype="PCM_16")
    return out


def testdata(cache: Path = DEFAULT_CACHE) -> list[Utterance]:
    out = []
    for folder, tx in [("librivox", "transcription"), ("cards", "cards.transcription")]:
        for fid, text in sorted(_sphinx_transcription(SPEECH / folder / tx).items()):
            p = SPEECH / folder / f"{fid}.wav"
            out.append(Utterance(str(p), text, "testdata", "read", sf.info(p).duration))
    for rel, text in RAW_REFS.items():
        p = _raw_as_wav(SPEECH / rel, cache)
        out.append(Utterance(str(p), text, "testdata", "command", sf.info(p).duration))
    return out


def tts(cache: Path = DEFAULT_CACHE, seed: int = 1, voices_per_text: int = 1) -> list[Utterance]:
    entries = json.loads(make_tts_set(cache, seed, voices_per_text).read_text())
    return [Utterance(e["path"], e["ref"], e["set"], e["kind"], e["duration"]) for e in entries]


def all_sets(cache: Path = DEFAULT_CACHE, seed: int = 1,
             voices_per_text: int = 1) -> list[Utterance]:
    return testdata(cache) + tts(cache, seed, voices_per_text)
