"""Silero VAD v6 (ONNX, as shipped by faster-whisper) -> earshot model files.

faster-whisper's copy is a 16 kHz-only export (opset 18): input [batch, 576] (64 context samples +
a 512-sample chunk), states h and c [1, 1, 128]. The graph is checked node by node against the
structure documented in docs/models.md; anything else is refused. Two outputs: f32 (weights
exactly as in the ONNX file) and int8 (per-output-channel symmetric int8 for conv and LSTM
weights, f32 for biases and the STFT basis).

    python -m convert.silero_vad --out-dir DIR [--onnx FILE]
"""

from __future__ import annotations

import argparse
import os

import numpy as np

from convert.common import ConversionError, package_file, run_cli, source_record
from earshot_model import quantize_per_channel_int8, write_model

CONVERTER = "earshot convert.silero_vad 1"
PACKAGE, MODULE, RELPATH = "faster-whisper", "faster_whisper", "assets/silero_vad_v6.onnx"
HIDDEN = 128

# The node sequence the converter understands (op types in graph order).
EXPECTED_OPS = [
    "Pad", "Unsqueeze", "Conv", "Slice", "Slice", "Pow", "Pow", "Add", "Sqrt",
    "Conv", "Relu", "Conv", "Relu", "Conv", "Relu", "Conv", "Relu",
    "Transpose", "LSTM", "Squeeze", "Relu", "Transpose", "Conv", "Sigmoid", "Reshape",
]
ENCODER = [  # (onnx weight name, in, out, kernel, stride, pad)
    ("encoder.conv_layers.0", 129, 128, 3, 1, 1),
    ("encoder.conv_layers.1", 128, 64, 3, 2, 1),
    ("encoder.conv_layers.2", 64, 64, 3, 2, 1),
    ("encoder.conv_layers.3", 64, 128, 3, 1, 1),
]


def _load(path: str):
    import onnx
    from onnx import numpy_helper
    try:
        model = onnx.load(path)
    except Exception as e:  # onnx raises DecodeError and friends for non-ONNX bytes
        raise ConversionError(f"{path}: not an ONNX model ({type(e).__name__})") from None
    graph = model.graph
    inits = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    return graph, inits


def _attrs(node) -> dict:
    import onnx
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _check(cond: bool, path: str, what: str) -> None:
    if not cond:
        raise ConversionError(f"{path}: not the Silero VAD v6 16 kHz graph this converter knows "
                              f"({what})")


def extract(path: str) -> tuple[dict, dict]:
    """Returns (tensors f32 with earshot names, graph description) after checking the graph."""
    graph, inits = _load(path)
    ops = [n.op_type for n in graph.node]
    _check(ops == EXPECTED_OPS, path, f"node sequence {ops}")
    inputs = {i.name: [d.dim_value or d.dim_param for d in i.type.tensor_type.shape.dim]
              for i in graph.input}
    _check(inputs.get("input", [None, None])[1] == 576, path, f"input shape {inputs.get('input')}")
    _check(inputs.get("h") == [1, 1, HIDDEN] and inputs.get("c") == [1, 1, HIDDEN], path,
           "state shapes")
    nodes = list(graph.node)

    pad = nodes[0]
    _check(_attrs(pad).get("mode") == b"reflect", path, "STFT padding mode")
    pads = inits[pad.input[1]].tolist()
    _check(pads == [0, 128, 0, 128], path, f"STFT pads {pads}")
    stft = nodes[2]
    a = _attrs(stft)
    _check(a["kernel_shape"] == [256] and a["strides"] == [128] and a["pads"] == [0, 0], path,
           "STFT conv attributes")
    basis = inits[stft.input[1]]
    _check(basis.shape == (258, 1, 256), path, f"STFT basis shape {basis.shape}")
    # Both Slices start at time index 1: the first STFT frame is dropped.
    for sl, ch in ((nodes[3], 0), (nodes[4], 129)):
        starts, axes = inits[sl.input[1]].tolist(), inits[sl.input[3]].tolist()
        _check(starts == [ch, 1] and axes == [1, 2], path, f"STFT slice {starts} {axes}")
    _check(float(inits[nodes[5].input[1]]) == 2.0, path, "magnitude exponent")

    tensors = {"stft.basis": basis}
    for i, (name, cin, cout, k, stride, p) in enumerate(ENCODER):
        node = nodes[9 + 2 * i]
        a = _attrs(node)
        w, b = inits[node.input[1]], inits[node.input[2]]
        _check(node.input[1] == f"{name}.weight" and w.shape == (cout, cin, k), path,
               f"{name} weight {w.shape}")
        _check(a["strides"] == [stride] and a["pads"] == [p, p] and a.get("group", 1) == 1
               and a.get("dilations", [1]) == [1], path, f"{name} attributes {a}")
        tensors[f"encoder.{i}.weight"], tensors[f"encoder.{i}.bias"] = w, b

    lstm = nodes[18]
    a = _attrs(lstm)
    _check(a.get("hidden_size") == HIDDEN and a.get("direction", b"forward") == b"forward"
           and "activations" not in a and "clip" not in a and not a.get("input_forget", 0)
           and a.get("layout", 0) == 0, path, f"LSTM attributes {a}")
    w, r, bias = (inits[n] for n in lstm.input[1:4])
    _check(w.shape == (1, 4 * HIDDEN, HIDDEN) and r.shape == (1, 4 * HIDDEN, HIDDEN)
           and bias.shape == (1, 8 * HIDDEN), path, "LSTM weight shapes")
    _check(lstm.input[4] == "" and list(lstm.input[5:7]) == ["h", "c"], path, "LSTM inputs")
    tensors["decoder.lstm.weight_ih"] = w[0]
    tensors["decoder.lstm.weight_hh"] = r[0]
    tensors["decoder.lstm.bias_ih"] = bias[0, :4 * HIDDEN]
    tensors["decoder.lstm.bias_hh"] = bias[0, 4 * HIDDEN:]

    dec = nodes[22]
    a = _attrs(dec)
    w, b = inits[dec.input[1]], inits[dec.input[2]]
    _check(w.shape == (1, HIDDEN, 1) and a["kernel_shape"] == [1], path, "decoder conv")
    tensors["decoder.conv.weight"], tensors["decoder.conv.bias"] = w, b
    for t in tensors.values():
        _check(t.dtype == np.float32, path, "weights are not float32")

    description = {
        "sample_rate": 16000,
        "chunk_samples": 512,
        "context_samples": 64,
        "input_samples": 576,
        "state": {"names": ["h", "c"], "shape": [2, 1, HIDDEN],
                  "note": "h and c of the LSTM, each [1, 1, 128]; zero at start and on reset"},
        "stft": {"pad": {"mode": "reflect", "left": 128, "right": 128},
                 "frame": 256, "hop": 128, "bins": 129, "frames_in": 5, "drop_first_frames": 1,
                 "basis": "stft.basis rows 0..128 = hann(256, periodic) * cos, rows 129..257 = "
                          "hann * sin (sign irrelevant), applied as a stride-128 conv",
                 "magnitude": "sqrt(re^2 + im^2)"},
        "layers": [
            {"name": f"encoder.{i}", "op": "conv1d", "in": cin, "out": cout, "kernel": k,
             "stride": s, "pad": [p, p], "activation": "relu"}
            for i, (_, cin, cout, k, s, p) in enumerate(ENCODER)
        ] + [
            {"name": "decoder.lstm", "op": "lstm", "in": HIDDEN, "hidden": HIDDEN,
             "gate_order": ["i", "o", "f", "c"],
             "equations": "gates = W x + R h + Wb + Rb; i,o,f = sigmoid; c~ = tanh; "
                          "c' = f*c + i*c~; h' = o*tanh(c')",
             "sequence": "the rows of a batch are consecutive time steps (one per chunk)"},
            {"name": "decoder.relu", "op": "relu"},
            {"name": "decoder.conv", "op": "conv1d", "in": HIDDEN, "out": 1, "kernel": 1,
             "stride": 1, "pad": [0, 0], "activation": "sigmoid"},
        ],
        "output": "speech probability per 512-sample chunk",
    }
    return tensors, description


def convert(out_dir: str, onnx_path: str | None = None) -> list[str]:
    path = onnx_path or package_file(PACKAGE, MODULE, RELPATH)
    if not os.path.isfile(path):
        raise ConversionError(f"{path}: no such file")
    source = source_record(PACKAGE, MODULE, RELPATH, path)
    if onnx_path:
        source["file"] = os.path.basename(onnx_path)
    tensors, description = extract(path)
    base = {"stage": "vad", "architecture": "silero-vad-v6", "format_version": 1,
            "source": source, "converter": CONVERTER, "graph": description,
            "features": {"sample_rate": 16000, "input": "float32 samples in [-1, 1]"},
            "license": "MIT (Silero VAD, snakers4/silero-vad)"}
    os.makedirs(out_dir, exist_ok=True)
    out32 = os.path.join(out_dir, "silero-vad-v6.f32.esm")
    write_model(out32, dict(base, quantization="f32"), tensors)

    q = {}
    quantized = []
    for name, t in tensors.items():
        if name.endswith(".weight") or name.endswith("weight_ih") or name.endswith("weight_hh"):
            q[name], q[name + ".scale"] = quantize_per_channel_int8(t)
            quantized.append(name)
        else:
            q[name] = t
    out8 = os.path.join(out_dir, "silero-vad-v6.int8.esm")
    write_model(out8, dict(base, quantization="int8-per-channel",
                           quantized_tensors=quantized,
                           quantization_scheme="symmetric int8 per output channel (axis 0), "
                                               "w = q * scale[channel]; others f32"), q)
    return [out32, out8]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Silero VAD v6 ONNX -> earshot (.esm)")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--onnx", help="ONNX file (default: faster-whisper's assets copy)")
    args = ap.parse_args(argv)
    for p in convert(args.out_dir, args.onnx):
        print(p)
    return 0


if __name__ == "__main__":
    run_cli(main)
