"""`earshot features --frontend whisper-mel` against tools/whisper_mel_ref.py (NumPy, float64)
on real speech: max abs difference <= 1e-4 over every value. The NumPy reference itself is
checked against faster-whisper's feature extractor (a peer implementation of the same
algorithm) so that both cannot drift away from Whisper together.
"""
import glob
import os
import subprocess
import sys
import tempfile

import numpy as np
import soundfile

import whisper_mel_ref as ref

TOLERANCE = 1e-4


def speech_files(tmp):
    d = os.environ.get("EARSHOT_SPEECH_DIR", "/usr/share/pocketsphinx/test/data")
    files = sorted(glob.glob(os.path.join(d, "librivox", "*.wav")))
    files += [os.path.join(d, "cards", "001.wav")]
    for raw in ("goforward.raw", "numbers.raw", "something.raw"):  # headerless: wrap as WAV
        wav = os.path.join(tmp, raw.replace(".raw", ".wav"))
        soundfile.write(wav, np.fromfile(os.path.join(d, raw), dtype="<i2"), 16000,
                        subtype="PCM_16")
        files.append(wav)
    return files


def main():
    earshot = os.environ["EARSHOT_BIN"]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "mel.npy")
        for path in speech_files(tmp):
            subprocess.run([earshot, "features", "--frontend", "whisper-mel", path, "-o", out],
                           check=True, capture_output=True)
            got = np.load(out)
            audio = ref.load_16k_int16(path)
            expect = ref.log_mel_spectrogram(audio)
            if got.dtype != np.float32 or got.shape != expect.shape:
                print(f"FAIL {path}: got {got.dtype} {got.shape}, want float32 {expect.shape}")
                failures += 1
                continue
            diff = float(np.abs(got - expect).max())
            status = "ok" if diff <= TOLERANCE else "FAIL"
            failures += diff > TOLERANCE
            print(f"{status} {os.path.basename(path)}: {got.shape[0]} frames, max |diff| {diff:.2e}")

        # The reference against faster-whisper's extractor (float32 STFT of its own).
        from faster_whisper.feature_extractor import FeatureExtractor

        fe = FeatureExtractor()
        audio = ref.load_16k_int16(speech_files(tmp)[0])
        peer = fe(audio.astype(np.float32), padding=0).T
        ours = ref.log_mel_spectrogram(audio)
        n = min(len(peer), len(ours))
        diff = float(np.abs(peer[:n] - ours[:n]).max())
        print(f"reference vs faster-whisper: {n} frames, max |diff| {diff:.2e}")
        if len(peer) != len(ours) or diff > TOLERANCE:
            print("FAIL reference disagrees with faster-whisper")
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
