"""Frame-level VAD evaluation on the test split of bench/eval_vad/make_set.py, all systems in one
run: webrtcvad-wheels (modes 0-3), Silero v6 in onnxruntime (one thread), earshot fixed (tier 0),
earshot neural f32 and int8.

Reports per system: ROC-AUC over 10 ms frames (labels from the clean speech), F1 at the
operating threshold (0.5; webrtcvad's own decision), false speech seconds per hour on the
speech-free files (frames over the threshold), and time per frame: earshot's from its own
counters (`earshot vad --stats`: time inside process_frame), onnxruntime's and webrtcvad's
around each Python call, with the Python call overhead of onnxruntime measured separately
(an Identity model run the same way) and reported beside it.

    python bench/eval_vad/run_eval.py --earshot build/bin/earshot [--set DIR] [--max-files N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time

import numpy as np
import soundfile as sf

FRAME = 160


def auc(scores, labels):
    order = np.argsort(scores, kind="mergesort")
    s = scores[order]
    ranks = np.empty(len(s))
    # average ranks for ties
    i = 0
    r = np.arange(1, len(s) + 1, dtype=np.float64)
    uniq, start, counts = np.unique(s, return_index=True, return_counts=True)
    avg = start + (counts + 1) / 2.0
    ranks_sorted = np.repeat(avg, counts)
    ranks[order] = ranks_sorted
    del i, r, uniq
    pos = labels.astype(bool)
    n1, n0 = pos.sum(), (~pos).sum()
    return (ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)


def f1(pred, labels):
    tp = np.sum(pred & labels)
    fp = np.sum(pred & ~labels)
    fn = np.sum(~pred & labels)
    return 2 * tp / max(2 * tp + fp + fn, 1)


def to_frames(probs, hop, n_frames, delay=0):
    """Per-10 ms-frame scores from per-hop scores (hop in samples), shifted back by `delay`."""
    centres = np.arange(n_frames) * FRAME + FRAME // 2 + delay
    idx = np.clip(centres // hop, 0, len(probs) - 1)
    return np.asarray(probs)[idx] if len(probs) else np.zeros(n_frames)


class Ort:
    def __init__(self):
        import faster_whisper
        import onnxruntime as ort
        path = os.path.join(os.path.dirname(faster_whisper.__file__), "assets",
                            "silero_vad_v6.onnx")
        o = ort.SessionOptions()
        o.intra_op_num_threads = 1
        o.inter_op_num_threads = 1
        self.sess = ort.InferenceSession(path, o, providers=["CPUExecutionProvider"])
        self.ns = 0
        self.calls = 0
        # Python call overhead: an Identity model of the same input size, run the same way.
        import onnx
        from onnx import TensorProto, helper
        g = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "id",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 576])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 576])])
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 18)])
        m.ir_version = 8
        ident = ort.InferenceSession(m.SerializeToString(), o, providers=["CPUExecutionProvider"])
        x = np.zeros((1, 576), np.float32)
        for _ in range(200):
            ident.run(None, {"x": x})
        t = time.perf_counter_ns()
        for _ in range(2000):
            ident.run(None, {"x": x})
        self.overhead_ns = (time.perf_counter_ns() - t) / 2000

    def probs(self, audio):
        x = audio.astype(np.float32) / 32768.0
        n = (len(x) + 511) // 512
        x = np.concatenate([x, np.zeros(n * 512 - len(x), np.float32)])
        h = np.zeros((1, 1, 128), np.float32)
        c = np.zeros((1, 1, 128), np.float32)
        ctx = np.zeros(64, np.float32)
        out = np.empty(n)
        for i in range(n):
            chunk = x[i * 512:(i + 1) * 512]
            inp = np.concatenate([ctx, chunk])[None]
            t = time.perf_counter_ns()
            p, h, c = self.sess.run(None, {"input": inp, "h": h, "c": c})
            self.ns += time.perf_counter_ns() - t
            self.calls += 1
            ctx = chunk[-64:]
            out[i] = float(np.asarray(p).ravel()[0])
        return out


class Webrtc:
    def __init__(self, mode):
        import webrtcvad
        self.vad = webrtcvad.Vad(mode)
        self.ns = 0
        self.calls = 0

    def probs(self, audio):
        b = audio.astype("<i2").tobytes()
        n = len(audio) // FRAME
        out = np.zeros(n)
        for i in range(n):
            t = time.perf_counter_ns()
            out[i] = self.vad.is_speech(b[i * 320:(i + 1) * 320], 16000)
            self.ns += time.perf_counter_ns() - t
            self.calls += 1
        return out


class Earshot:
    def __init__(self, binary, engine, precision):
        self.args = [binary, "vad", "--engine", engine, "--precision", precision, "--stats"]
        self.hop = 160 if engine == "fixed" else 512
        self.delay = -200 if engine == "fixed" else 0  # fixed: window ends 80 samples past the hop
        self.ns = 0
        self.calls = 0
        self.seg_seconds_nospeech = 0.0

    def probs(self, wav, tmp, speech_free=False):
        pf = os.path.join(tmp, "p.txt")
        r = subprocess.run(self.args + ["--frame-probs", pf, wav], capture_output=True, text=True,
                           check=True)
        st = json.loads(r.stderr.strip().splitlines()[-1])
        self.ns += st["cpu_ns"]
        self.calls += st["frames"]
        if speech_free:
            segs = json.loads(r.stdout)["segments"]
            self.seg_seconds_nospeech += sum(s["end"] - s["start"] for s in segs)
        return np.loadtxt(pf, ndmin=1)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--earshot", required=True)
    ap.add_argument("--set", default=os.path.join(
        os.environ.get("EARSHOT_CACHE_DIR", os.path.expanduser("~/.cache/earshot")), "eval_vad"))
    ap.add_argument("--max-files", type=int, default=0, help="limit speech files (0 = all)")
    args = ap.parse_args(argv)
    manifest = json.load(open(os.path.join(args.set, "manifest.json")))
    files = [f for f in manifest["files"] if f["split"] == "test"]
    speech = [f for f in files if not f["speech_free"]]
    if args.max_files:
        speech = speech[:args.max_files]
    free = [f for f in files if f["speech_free"]]
    systems = {f"webrtcvad mode {m}": Webrtc(m) for m in range(4)}
    systems["silero onnxruntime"] = Ort()
    systems["earshot fixed"] = Earshot(args.earshot, "fixed", "f32")
    systems["earshot neural f32"] = Earshot(args.earshot, "neural", "f32")
    systems["earshot neural int8"] = Earshot(args.earshot, "neural", "int8")
    scores = {k: [] for k in systems}
    free_scores = {k: [] for k in systems}
    labels = []
    with tempfile.TemporaryDirectory() as tmp:
        for group, store in ((speech, scores), (free, free_scores)):
            for f in group:
                wav = os.path.join(args.set, "test", f["name"] + ".wav")
                lab = np.load(os.path.join(args.set, "test", f["name"] + ".labels.npy"))
                audio = sf.read(wav, dtype="int16")[0]
                if store is scores:
                    labels.append(lab)
                for name, s in systems.items():
                    if isinstance(s, Earshot):
                        p = s.probs(wav, tmp, speech_free=store is free_scores)
                        store[name].append(to_frames(p, s.hop, len(lab), s.delay))
                    elif isinstance(s, Ort):
                        store[name].append(to_frames(s.probs(audio), 512, len(lab)))
                    else:
                        store[name].append(to_frames(s.probs(audio), FRAME, len(lab)))
    y = np.concatenate(labels).astype(bool)
    hours_free = sum(len(np.concatenate(free_scores[k])) for k in ["earshot fixed"]) * 0.01 / 3600
    print(f"set {manifest.get('digest')}: {len(speech)} speech files ({len(y) / 360000:.2f} h, "
          f"{y.mean():.2f} speech), {len(free)} speech-free files ({hours_free * 60:.1f} min)")
    print(f"{'system':24s} {'ROC-AUC':>8s} {'F1@op':>6s} {'false s/h':>9s} {'us/call':>8s} "
          f"{'call':>6s} {'us/10ms':>8s}")
    ref_auc = None
    results = {}
    for name, s in systems.items():
        x = np.concatenate(scores[name])
        a = auc(x, y)
        thr = 0.5
        fs = f1(x >= thr, y)
        xf = np.concatenate(free_scores[name])
        false_sph = np.mean(xf >= thr) * 3600
        us = s.ns / max(s.calls, 1) / 1000
        hop = 512 if isinstance(s, Ort) or (isinstance(s, Earshot) and s.hop == 512) else FRAME
        per10 = us * FRAME / hop
        call = "32ms" if hop == 512 else "10ms"
        results[name] = dict(auc=a, f1=fs, false_s_per_h=false_sph, us_per_call=us)
        if name == "silero onnxruntime":
            ref_auc = a
        print(f"{name:24s} {a:8.4f} {fs:6.3f} {false_sph:9.1f} {us:8.1f} {call:>6s} {per10:8.2f}")
    ort_s = systems["silero onnxruntime"]
    print(f"onnxruntime Python call overhead (Identity model): {ort_s.overhead_ns / 1000:.1f} us "
          f"per call; Silero minus overhead: {ort_s.ns / ort_s.calls / 1000 - ort_s.overhead_ns / 1000:.1f} us")
    for name in ("earshot neural f32", "earshot neural int8"):
        r = results[name]
        print(f"{name}: AUC - onnxruntime {r['auc'] - ref_auc:+.4f}; time/chunk vs onnxruntime "
              f"{r['us_per_call'] / results['silero onnxruntime']['us_per_call']:.2f}x (with call "
              f"overhead), {r['us_per_call'] / (results['silero onnxruntime']['us_per_call'] - ort_s.overhead_ns / 1000):.2f}x (without)")
    for name in ("earshot fixed", "earshot neural f32", "earshot neural int8"):
        s = systems[name]
        print(f"{name}: segments on speech-free audio: {s.seg_seconds_nospeech / hours_free:.1f} s/h")
    best_webrtc = max(results[f"webrtcvad mode {m}"]["auc"] for m in range(4))
    print(f"fixed AUC {results['earshot fixed']['auc']:.4f} vs best webrtcvad {best_webrtc:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
