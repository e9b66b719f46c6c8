"""Parity on int8 inputs no frontend would produce: every inference of earshot's KwsNet
(`kws_trace MODEL INPUTS all`) equals the TFLite C runtime of pymicro-wakeword for all four
models, over uniform random bytes, a wrapping random walk and a clipped Gaussian (3 x 4000
inferences). These drive many more requantizations onto exact rounding ties than speech does:
TFLite's optimized depthwise and batch-1 FULLY_CONNECTED round those half up
(runtime/kernels/requant_upward.hpp), which speech alone hit only a few times per hour.

Usage: test_kws_parity_random.py KWS_TRACE   (run by ctest; needs the converted models)
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import kws_tflite_ref as ref  # noqa: E402

STEPS = 4000


def inputs() -> np.ndarray:
    rng = np.random.default_rng(1)
    uniform = rng.integers(-128, 128, (STEPS, 120))
    walk = np.clip(np.cumsum(rng.integers(-20, 21, (STEPS, 120)), 0) % 300 - 150, -128, 127)
    gauss = np.clip(rng.normal(-60, 40, (STEPS, 120)), -128, 127)
    return np.concatenate([uniform, walk, gauss]).astype(np.int8)


def main() -> int:
    trace = sys.argv[1]
    cache = Path(os.environ.get("EARSHOT_CACHE_DIR", Path.home() / ".cache/earshot"))
    x = inputs()
    failures = 0
    with tempfile.TemporaryDirectory() as d:
        raw = Path(d) / "inputs.bin"
        x.tofile(raw)
        for k in ref.KEYWORDS:
            model = cache / "models" / f"kws-{k}.esm"
            out = subprocess.run([trace, str(model), str(raw), "all"], check=True,
                                 capture_output=True, text=True).stdout
            mine = np.array([int(v) for v in out.split()])
            tfl = ref.TfliteKws(k)
            theirs = np.array([tfl.step(r.reshape(1, 3, 40)) for r in x])
            diff = np.flatnonzero(mine != theirs) if len(mine) == len(theirs) else [-1]
            print(f"{k}: {len(theirs)} inferences, {len(diff)} differ, output range "
                  f"{theirs.min()}..{theirs.max()}")
            if len(diff):
                failures += 1
                i = diff[0]
                if i >= 0:
                    print(f"  first difference at {i}: earshot {mine[i]}, TFLite {theirs[i]}")
    print("OK" if failures == 0 else f"{failures} failures")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
