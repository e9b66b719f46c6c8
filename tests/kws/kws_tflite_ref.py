"""The reference for earshot's wake-word stage: microWakeWord models run by the TFLite C
runtime that the pymicro-wakeword wheel carries, fed with pymicro-features' frontend exactly
as pymicro_wakeword/microwakeword.py does it (3 frames per inference, stride 3), except that
the int8 input is saturated instead of wrapped (see features/kws/kws_input_quantizer.hpp).

Used by tests/kws/test_kws_parity.py and bench/eval_kws.
"""
from __future__ import annotations

import ctypes
from pathlib import Path

import numpy as np
from pymicro_features import MicroFrontend
from pymicro_wakeword import Model
from pymicro_wakeword.microwakeword import MicroWakeWord

KEYWORDS = ["okay_nabu", "hey_jarvis", "alexa", "hey_mycroft"]


def features(audio: np.ndarray) -> np.ndarray:
    """pymicro-features frames ([n, 40] float64) of int16 16 kHz audio, fed 10 ms at a time."""
    fe = MicroFrontend()
    frames = []
    data = audio.astype("<i2").tobytes()
    buf = b""
    pos = 0
    chunk = 320
    while pos + chunk <= len(data):
        buf += data[pos : pos + chunk]
        pos += chunk
        idx = 0
        while idx + chunk <= len(buf):
            r = fe.process_samples(buf[idx : idx + chunk])
            idx += r.samples_read * 2
            if r.features:
                frames.append(r.features)
        buf = buf[idx:]
    # float64, as pymicro_wakeword builds them: the input quantization is computed in double.
    return np.array(frames, dtype=np.float64).reshape(-1, 40)


class TfliteKws:
    """One model on the TFLite C runtime; step() returns the raw uint8 output."""

    def __init__(self, keyword: str):
        self.mww = MicroWakeWord.from_builtin(Model(keyword))
        self.lib = self.mww.lib
        self.cutoff = self.mww.probability_cutoff
        self.window = self.mww.sliding_window_size

    def reset(self) -> None:
        self.mww.close()
        self.mww._load_model()  # the only way the wrapper offers to reset variables

    def quantize(self, frames: np.ndarray) -> np.ndarray:
        q = np.round(frames / self.mww.input_scale + self.mww.input_zero_point)
        return np.clip(q, -128, 127).astype(np.int8)

    def step(self, q_input: np.ndarray) -> int:
        m = self.mww
        q_input = np.ascontiguousarray(q_input, dtype=np.int8)
        m.lib.TfLiteTensorCopyFromBuffer(
            m.input_tensor, q_input.ctypes.data_as(ctypes.c_void_p), q_input.nbytes
        )
        m.lib.TfLiteInterpreterInvoke(m.interpreter)
        out = np.empty(1, dtype=np.uint8)
        m.lib.TfLiteTensorCopyToBuffer(
            m.output_tensor, out.ctypes.data_as(ctypes.c_void_p), out.nbytes
        )
        return int(out[0])

    def run(self, frames: np.ndarray) -> np.ndarray:
        """uint8 output of every inference over the frames (groups of 3, from the start)."""
        q = self.quantize(frames)
        n = len(q) // 3
        out = np.empty(n, dtype=np.uint8)
        for i in range(n):
            out[i] = self.step(q[3 * i : 3 * i + 3].reshape(1, 3, 40))
        return out


def read_steps(path: str | Path) -> dict[str, np.ndarray]:
    """Parses `earshot kws --dump-steps` output."""
    steps = {}
    for line in Path(path).read_text().splitlines():
        parts = line.split()
        if parts:
            steps[parts[0]] = np.array([int(v) for v in parts[1:]], dtype=np.uint8)
    return steps
