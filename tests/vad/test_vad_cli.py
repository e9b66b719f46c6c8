"""`earshot vad` on bad input: missing, empty and non-audio files fail with a message naming the
file; silent, DC-offset, 8 kHz stereo and 44.1 kHz files give JSON segments; chunking of
1 sample gives the same segments as the default."""

import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import soundfile as sf

BIN = os.environ["EARSHOT_BIN"]
SPEECH = os.environ.get("EARSHOT_SPEECH_DIR", "/usr/share/pocketsphinx/test/data")


def vad(*args):
    return subprocess.run([BIN, "vad", *args], capture_output=True, text=True, timeout=120)


def main():
    fails = []

    def check(cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            fails.append(what)

    speech = np.fromfile(os.path.join(SPEECH, "goforward.raw"), "<i2")
    with tempfile.TemporaryDirectory() as tmp:
        p = lambda n: os.path.join(tmp, n)  # noqa: E731
        open(p("empty.wav"), "wb").close()
        with open(p("text.wav"), "w") as f:
            f.write("not audio at all\n" * 10)
        sf.write(p("silent.wav"), np.zeros(16000 * 3, np.int16), 16000, subtype="PCM_16")
        sf.write(p("dc.wav"), np.full(16000 * 3, 9000, np.int16), 16000, subtype="PCM_16")
        sf.write(p("speech.wav"), speech, 16000, subtype="PCM_16")
        x = speech.astype(np.float32) / 32768
        x8 = x[::2]
        sf.write(p("speech8k_stereo.wav"), np.stack([x8, x8], 1), 8000, subtype="PCM_16")
        t44 = np.interp(np.arange(int(len(x) * 44100 / 16000)) * 16000 / 44100,
                        np.arange(len(x)), x)
        sf.write(p("speech44k.wav"), t44, 44100, subtype="FLOAT")
        for name in ("missing.wav", "empty.wav", "text.wav"):
            for engine in ("fixed", "neural"):
                r = vad("--engine", engine, p(name))
                check(r.returncode != 0 and name in r.stderr and "Traceback" not in r.stderr,
                      f"{engine} {name}: exit {r.returncode}, {r.stderr.strip()[:100]}")
        for engine in ("fixed", "neural"):
            for name in ("silent.wav", "dc.wav"):
                r = vad("--engine", engine, p(name))
                ok = r.returncode == 0 and json.loads(r.stdout) == {"segments": []}
                check(ok, f"{engine} {name}: {r.stdout.strip()}")
            base = vad("--engine", engine, p("speech.wav"))
            segs = json.loads(base.stdout)["segments"] if base.returncode == 0 else []
            check(len(segs) >= 1, f"{engine} speech: {segs}")
            one = vad("--engine", engine, "--chunk", "1", p("speech.wav"))
            check(one.stdout == base.stdout, f"{engine} chunk 1 == default chunk")
            for name in ("speech8k_stereo.wav", "speech44k.wav"):
                r = vad("--engine", engine, "--format", "text", p(name))
                lines = r.stdout.strip().splitlines()
                ok = r.returncode == 0 and len(lines) >= 1 and all(
                    0 <= float(a) < float(b) <= 2.9 for a, b in (ln.split() for ln in lines))
                check(ok, f"{engine} {name}: {lines}")
        r = vad("--threshold", "2", p("speech.wav"))
        check(r.returncode != 0 and "threshold" in r.stderr, "bad threshold is refused")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
