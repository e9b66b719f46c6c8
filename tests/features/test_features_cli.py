"""`earshot features` end to end: valid .npy and .csv output for every frontend on real speech,
the mfcc options reaching the frontend, and clear errors with a non-zero exit for a missing
file, a non-audio file, an unknown frontend, a bad output path or extension, and an absurd
config.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

SPEECH = os.path.join(os.environ.get("EARSHOT_SPEECH_DIR", "/usr/share/pocketsphinx/test/data"),
                      "librivox", "sense_and_sensibility_01_austen_64kb-0880.wav")
failures = 0


def check(cond, what):
    global failures
    print(("ok   " if cond else "FAIL ") + what)
    failures += not cond


def run(*args):
    return subprocess.run([os.environ["EARSHOT_BIN"], "features", *args], capture_output=True,
                          text=True)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        npy, csv = os.path.join(tmp, "f.npy"), os.path.join(tmp, "f.csv")
        samples = 47840  # the clip's length at 16 kHz
        expect_cols = {"mfcc": 13, "mfcc-float": 13, "kws": 40, "whisper-mel": 80}
        for frontend, cols in expect_cols.items():
            r = run("--frontend", frontend, SPEECH, "-o", npy)
            check(r.returncode == 0, f"{frontend}: exit 0 ({r.stderr.strip()})")
            if r.returncode != 0:
                continue
            a = np.load(npy)
            check(a.dtype == np.float32 and a.ndim == 2 and a.shape[1] == cols,
                  f"{frontend}: float32 [frames, {cols}], got {a.dtype} {a.shape}")
            check(np.isfinite(a).all(), f"{frontend}: finite values")
            check(a.shape[0] >= samples // 160 - 3, f"{frontend}: {a.shape[0]} frames")
            r = run("--frontend", frontend, SPEECH, "-o", csv)
            c = np.loadtxt(csv, delimiter=",", ndmin=2)
            check(r.returncode == 0 and c.shape == a.shape and np.allclose(c, a, atol=1e-6),
                  f"{frontend}: .csv equals .npy")

        # Options reach the frontend; the fixed-point log-mel stays close to its reference.
        r = run(SPEECH, "-o", npy, "--log-mel", "--mel-bins", "24", "--fft-size", "1024")
        a = np.load(npy) if r.returncode == 0 else np.zeros((0, 0))
        check(a.shape == ((samples - 400) // 160 + 1, 24), f"--log-mel --mel-bins 24: {a.shape}")
        r = run("--frontend", "mfcc-float", SPEECH, "-o", csv, "--log-mel", "--mel-bins", "24",
                "--fft-size", "1024")
        b = np.loadtxt(csv, delimiter=",", ndmin=2)
        check(a.shape == b.shape and np.abs(a - b).max() < 0.05,
              "fixed-point log-mel within 0.05 (natural log) of the float reference")

        # Raw PCM on stdin gives exactly the frames of the same samples read from the file.
        import soundfile
        pcm, rate = soundfile.read(SPEECH, dtype="int16")
        check(rate == 16000 and pcm.ndim == 1, "fixture is 16 kHz mono")
        run(SPEECH, "-o", npy)
        whole = np.load(npy)
        r = subprocess.run([os.environ["EARSHOT_BIN"], "features", "-", "--rate", "16000",
                            "-o", csv], input=pcm.astype("<i2").tobytes(), capture_output=True)
        c = np.loadtxt(csv, delimiter=",", ndmin=2) if r.returncode == 0 else np.zeros((0, 0))
        check(c.shape == whole.shape and np.allclose(c, whole, atol=1e-4),
              f"stdin s16le equals the file: {c.shape} vs {whole.shape}")
        stereo48 = np.repeat(np.stack([pcm, pcm], axis=1), 3, axis=0).astype("<f4") / 32768.0
        r = subprocess.run([os.environ["EARSHOT_BIN"], "features", "-", "--rate", "48000",
                            "--channels", "2", "--format", "f32le", "-o", npy],
                           input=stereo48.tobytes(), capture_output=True)
        a = np.load(npy) if r.returncode == 0 else np.zeros((0, 0))
        check(abs(a.shape[0] - whole.shape[0]) <= 1, f"stdin 48 kHz stereo f32: {a.shape[0]} frames")

        bad_audio = os.path.join(tmp, "not_audio.wav")
        with open(bad_audio, "wb") as f:
            f.write(b"RIFF\x10\x00\x00\x00WAVEfmt garbage")
        errors = {
            "missing file": (os.path.join(tmp, "missing.wav"), "-o", npy),
            "not audio": (bad_audio, "-o", npy),
            "unknown frontend": ("--frontend", "nope", SPEECH, "-o", npy),
            "bad extension": (SPEECH, "-o", os.path.join(tmp, "f.txt")),
            "unwritable output": (SPEECH, "-o", "/nonexistent-dir/f.npy"),
            "absurd fft size": (SPEECH, "-o", npy, "--fft-size", "1000"),
            "too many mel bins": (SPEECH, "-o", npy, "--mel-bins", "250"),
            "unknown stdin format": ("-", "--format", "s24", "-o", npy),
            "missing microphone": ("alsa:hw:9,0", "-o", npy),
        }
        for what, args in errors.items():
            r = run(*args)
            check(r.returncode != 0 and r.stderr.strip() != "",
                  f"{what}: exit {r.returncode}, stderr: {r.stderr.strip()[:120]}")
        r = subprocess.run([os.environ["EARSHOT_BIN"], "features", "--help"], capture_output=True,
                           text=True)
        check(r.returncode == 0 and "--frontend" in r.stdout, "--help lists --frontend")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
