"""A numpy forward pass of Silero VAD v6 written from docs/models.md and the converted .esm file,
used to check that the recorded architecture is the real one (against onnxruntime)."""

import numpy as np


def _conv1d(x, w, b, stride, pad):
    # x [cin, t], w [cout, cin, k]
    x = np.pad(x, ((0, 0), (pad, pad)))
    k = w.shape[2]
    t_out = (x.shape[1] - k) // stride + 1
    cols = np.stack([x[:, i * stride:i * stride + k] for i in range(t_out)], 0)  # [t, cin, k]
    return np.einsum("tck,ock->ot", cols, w) + b[:, None]


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def silero_forward(model, chunks, h=None, c=None):
    """chunks [n, 576] float32 (64 context + 512 samples each) -> probabilities [n], h, c."""
    g = model.metadata["graph"]
    w = {name: model.dequantized(name) for name in model.tensors if not name.endswith(".scale")}
    hidden = g["state"]["shape"][2]
    h = np.zeros(hidden, np.float32) if h is None else h
    c = np.zeros(hidden, np.float32) if c is None else c
    basis = w["stft.basis"][:, 0, :]
    probs = []
    for x in chunks:
        p = g["stft"]["pad"]
        x = np.pad(x, (p["left"], p["right"]), mode="reflect")
        frames = np.stack([x[i:i + g["stft"]["frame"]] for i in
                           range(0, len(x) - g["stft"]["frame"] + 1, g["stft"]["hop"])], 1)
        spec = basis @ frames  # [258, 5]
        bins = g["stft"]["bins"]
        mag = np.sqrt(spec[:bins] ** 2 + spec[bins:] ** 2)[:, g["stft"]["drop_first_frames"]:]
        y = mag
        for layer in g["layers"]:
            if layer["op"] == "conv1d" and layer["name"].startswith("encoder"):
                y = _conv1d(y, w[layer["name"] + ".weight"], w[layer["name"] + ".bias"],
                            layer["stride"], layer["pad"][0])
                y = np.maximum(y, 0)
        x_t = y[:, 0]  # one time step left
        gates = (w["decoder.lstm.weight_ih"] @ x_t + w["decoder.lstm.weight_hh"] @ h
                 + w["decoder.lstm.bias_ih"] + w["decoder.lstm.bias_hh"])
        i, o, f, cc = np.split(gates, 4)  # ONNX gate order i, o, f, c
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(cc)
        h = _sigmoid(o) * np.tanh(c)
        z = np.maximum(h, 0)
        logit = w["decoder.conv.weight"][0, :, 0] @ z + w["decoder.conv.bias"][0]
        probs.append(_sigmoid(logit))
    return np.array(probs, np.float32), h, c
