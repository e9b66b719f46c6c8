"""Silero VAD v6 f32 on earshot's engine vs onnxruntime on the same ONNX file: every chunk's
speech probability within 1e-4, on real speech fed in odd-sized chunks (so the streaming state
and the chunking both take part). The int8 engine is checked to stay close (0.25; dynamic int8 activations) and to make the
same decisions at 0.5 on nearly every chunk."""

import os
import subprocess
import sys
import tempfile

import numpy as np
import onnxruntime as ort
import soundfile as sf

SPEECH = os.environ.get("EARSHOT_SPEECH_DIR", "/usr/share/pocketsphinx/test/data")
CACHE = os.environ.get("EARSHOT_CACHE_DIR", os.path.expanduser("~/.cache/earshot"))
BIN = os.environ["EARSHOT_BIN"]


def onnx_path():
    import faster_whisper
    return os.path.join(os.path.dirname(faster_whisper.__file__), "assets", "silero_vad_v6.onnx")


def ort_probs(audio_i16):
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(onnx_path(), opts, providers=["CPUExecutionProvider"])
    x = audio_i16.astype(np.float32) / 32768.0
    n = (len(x) + 511) // 512
    x = np.concatenate([x, np.zeros(n * 512 - len(x), np.float32)])
    h = np.zeros((1, 1, 128), np.float32)
    c = np.zeros((1, 1, 128), np.float32)
    ctx = np.zeros(64, np.float32)
    out = []
    for i in range(n):
        chunk = x[i * 512:(i + 1) * 512]
        p, h, c = sess.run(None, {"input": np.concatenate([ctx, chunk])[None], "h": h, "c": c})
        ctx = chunk[-64:]
        out.append(float(np.asarray(p).ravel()[0]))
    return np.array(out)


def earshot_probs(wav, precision, chunk, tmp):
    probs = os.path.join(tmp, f"probs-{precision}-{chunk}.txt")
    r = subprocess.run([BIN, "vad", "--engine", "neural", "--precision", precision,
                        "--chunk", str(chunk), "--frame-probs", probs, wav],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return np.loadtxt(probs, ndmin=1)


def main():
    models = os.path.join(CACHE, "models")
    if not os.path.exists(os.path.join(models, "silero-vad-v6.f32.esm")):
        print(f"SKIP: no converted models in {models}")
        return 0
    os.environ.setdefault("EARSHOT_MODELS", models)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        clips = {
            "goforward": np.fromfile(os.path.join(SPEECH, "goforward.raw"), "<i2"),
            "librivox-0870": sf.read(os.path.join(
                SPEECH, "librivox/sense_and_sensibility_01_austen_64kb-0870.wav"), dtype="int16")[0],
        }
        for name, audio in clips.items():
            wav = os.path.join(tmp, name + ".wav")
            sf.write(wav, audio, 16000, subtype="PCM_16")
            ref = ort_probs(audio)
            for chunk in (1, 333, 512, 4097):
                got = earshot_probs(wav, "f32", chunk, tmp)
                err = np.max(np.abs(got - ref)) if len(got) == len(ref) else np.inf
                ok = len(got) == len(ref) and err <= 1e-4
                failures += not ok
                print(f"{name} f32 chunk {chunk}: {len(got)} chunks (ort {len(ref)}), "
                      f"max |diff| {err:.2e} {'ok' if ok else 'FAIL'}")
            got = earshot_probs(wav, "int8", 160, tmp)
            err = np.max(np.abs(got - ref))
            agree = np.mean((got >= 0.5) == (ref >= 0.5))
            ok = err <= 0.25 and agree >= 0.97
            failures += not ok
            print(f"{name} int8: max |diff| {err:.3f}, decisions agree {agree:.3f} "
                  f"{'ok' if ok else 'FAIL'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
