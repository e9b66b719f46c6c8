"""Bit-exact parity of earshot's wake-word frontend (features/kws) with pymicro-features.

Runs pymicro-features 2.0.2 (the TFLite-Micro audio frontend microWakeWord is trained on) and
earshot's KwsFrontend (through the kws_features_dump test helper) over real speech and hostile
synthetic signals, and requires every uint16 value of every frame to be equal. Also checks the
int8 model-input conversion against pymicro-wakeword's formula.

usage: kws_parity.py PATH/TO/kws_features_dump
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile
from pymicro_features import MicroFrontend

RATE = 16000
SCALE = 0.0390625  # pymicro-features' float value of one native unit
SPEECH = Path(os.environ.get("EARSHOT_SPEECH_DIR", "/usr/share/pocketsphinx/test/data"))


def clip16(x):
    return np.clip(np.round(x), -32768, 32767).astype(np.int16)


def signals():
    rng = np.random.default_rng(1234)
    t = lambda seconds: np.arange(int(seconds * RATE)) / RATE  # noqa: E731
    speech = []
    for wav in sorted((SPEECH / "librivox").glob("*.wav")):
        data, rate = soundfile.read(wav, dtype="int16")
        assert rate == RATE, f"{wav}: {rate} Hz"
        speech.append(data)
    for raw in ("goforward.raw", "numbers.raw"):
        speech.append(np.fromfile(SPEECH / raw, dtype="<i2"))
    if len(speech) < 3:
        sys.exit(f"kws_parity: real speech missing under {SPEECH} (pocketsphinx-testdata)")
    all_speech = np.concatenate(speech)
    quiet = np.zeros(int(3 * RATE), np.int16)

    sine = np.sin(2 * np.pi * 440 * t(5))
    chirp_t = t(10)
    chirp = np.sin(2 * np.pi * (50 * chirp_t + (7950 / 20) * chirp_t**2))  # 50 Hz -> 8 kHz
    yield "speech (librivox + goforward + numbers)", all_speech
    yield "silence", np.zeros(10 * RATE, np.int16)
    yield "full-scale square", np.where(sine >= 0, 32767, -32768).astype(np.int16)
    yield "clipped sine x1.5", clip16(1.5 * 32767 * sine)
    yield "constant -32768", np.full(2 * RATE, -32768, np.int16)
    yield "DC offset + speech", clip16(np.concatenate([np.full(RATE, 12000.0), all_speech[: 8 * RATE] + 12000.0]))
    yield "1 LSB noise", rng.integers(-1, 2, 10 * RATE).astype(np.int16)
    yield "3 LSB noise", rng.integers(-3, 4, 10 * RATE).astype(np.int16)
    yield "white noise", clip16(rng.normal(0, 8000, 10 * RATE))
    yield "chirp", clip16(20000 * chirp)
    # Loud, then silence, then quiet speech: noise estimate and PCAN must track each change.
    yield "loud/silent/quiet speech", np.concatenate([
        clip16(rng.normal(0, 20000, 3 * RATE)), quiet,
        (all_speech[: 10 * RATE] // 64).astype(np.int16), quiet, all_speech[: 5 * RATE]])


def reference_frames(audio):
    frontend = MicroFrontend()
    frames = []
    data = audio.astype("<i2").tobytes()
    for start in range(0, len(data) - 320 + 1, 320):
        out = frontend.process_samples(data[start:start + 320])
        assert out.samples_read == 160
        if out.features:
            frames.append(out.features)
    values = np.array(frames, dtype=np.float64).reshape(-1, 40) / SCALE
    native = np.round(values)
    assert np.array_equal(native, values), "pymicro-features output is not a multiple of 1/25.6"
    return native.astype(np.uint16)


def model_input_params():
    from pymicro_wakeword import MicroWakeWord, Model
    model = MicroWakeWord.from_builtin(Model.OKAY_NABU)
    return model.input_scale, model.input_zero_point, model.input_dtype


def pymicro_wakeword_quantize(native, scale, zero_point):
    """pymicro-wakeword's formula (MicroWakeWord.process_streaming_prob), before the int8 cast."""
    return np.round(native.astype(np.float64) * SCALE / scale + zero_point)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    dump = sys.argv[1]
    scale, zero_point, dtype = model_input_params()
    assert dtype == np.int8, dtype
    failures = 0
    total_frames = 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, audio in signals():
            audio = audio[: len(audio) // 160 * 160]  # pymicro-features takes whole 10 ms blocks
            raw = tmp / "in.raw"
            audio.astype("<i2").tofile(raw)
            subprocess.run([dump, raw, tmp / "out.u16", "--int8", repr(scale), str(zero_point),
                            tmp / "out.i8"], check=True)
            ours = np.fromfile(tmp / "out.u16", dtype="<u2").reshape(-1, 40)
            ref = reference_frames(audio)
            total_frames += len(ref)
            if ours.shape != ref.shape:
                print(f"FAIL {name}: {ours.shape[0]} frames, pymicro-features {ref.shape[0]}")
                failures += 1
                continue
            diff = np.argwhere(ours != ref)
            if len(diff):
                f, c = diff[0]
                print(f"FAIL {name}: {len(diff)} values differ; first frame {f} channel {c}: "
                      f"earshot {ours[f, c]} pymicro-features {ref[f, c]}")
                failures += 1
                continue
            q_ours = np.fromfile(tmp / "out.i8", dtype=np.int8).reshape(-1, 40)
            q_ref = pymicro_wakeword_quantize(ref, scale, zero_point)
            expect = np.clip(q_ref, -128, 127).astype(np.int8)
            if not np.array_equal(q_ours, expect):
                print(f"FAIL {name}: int8 model input differs from pymicro-wakeword's")
                failures += 1
                continue
            over = int(np.sum(q_ref > 127))
            print(f"ok   {name}: {len(ref)} frames x 40 equal (max {ref.max()}, "
                  f"{over} values saturate in int8)")

        # Every possible uint16 value through the int8 conversion.
        subprocess.run([dump, "--quantize-all", repr(scale), str(zero_point), tmp / "all.i8"],
                       check=True)
        q_all = np.fromfile(tmp / "all.i8", dtype=np.int8)
        q_ref = pymicro_wakeword_quantize(np.arange(65536), scale, zero_point)
        in_range = (q_ref >= -128) & (q_ref <= 127)
        if not np.array_equal(q_all[in_range], q_ref[in_range].astype(np.int8)):
            print("FAIL int8 conversion differs from pymicro-wakeword inside the int8 range")
            failures += 1
        elif not np.all(q_all[~in_range] == 127):
            print("FAIL int8 conversion does not saturate above the range")
            failures += 1
        else:
            print(f"ok   int8 conversion: all 65536 values (scale {scale}, zero point "
                  f"{zero_point}); {int(in_range.sum())} inside the range equal, rest saturate")
    if failures:
        sys.exit(f"kws_parity: {failures} check(s) failed")
    print(f"kws_parity: {total_frames} frames bit-exact with pymicro-features")


if __name__ == "__main__":
    main()
