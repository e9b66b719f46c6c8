"""Which rounding does TFLite use, op by op? (A diagnostic tool, not a test.)

Patches a microWakeWord .tflite so every op output is also a subgraph output (TFLite then keeps
them all), runs it on the TFLite C runtime of pymicro-wakeword over int8 inputs, and recomputes
each CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED from TFLite's own inputs with candidate
requantizations, printing how many outputs each one gets wrong:
  double: MultiplyByQuantizedMultiplier (reference TFLite, ties of the shift away from zero)
  single: one rounding of x * M / 2^(31 - shift)          fp32: XNNPACK-style float scale
  upward: DepthwiseConvRound<kUpward> (shift rounds half up); for depthwise only on whole
          groups of 8 channels, the rest `double` (what TFLite 2.17's kernels do)
    python kws_tflite_op_audit.py KEYWORD [INPUTS.bin]   (INPUTS: 120 int8 per inference;
                                                          default goforward.raw features)
Found with it: depthwise and batch-1 FULLY_CONNECTED are `upward` (runtime/kernels/
requant_upward.hpp); CONV_2D agrees with `double` (its fused ReLU hides negative ties).
"""
import ctypes, struct, sys
from pathlib import Path
import numpy as np
import tflite
sys.path.insert(0, str(Path(__file__).resolve().parent))
import kws_tflite_ref as ref  # noqa: E402

LIB_DIR = Path(__import__("pymicro_wakeword").__file__).parent


def keep_all_outputs(src: bytes):
    """The model with every int8/uint8/int32 op output appended to the subgraph outputs: a new
    vector at the end of the buffer (flatbuffer offsets point forward) and its offset patched."""
    buf = bytearray(src)
    sg = tflite.Model.GetRootAsModel(buf, 0).Subgraphs(0)
    outs = [sg.Outputs(i) for i in range(sg.OutputsLength())]
    for i in range(sg.OperatorsLength()):
        op = sg.Operators(i)
        for j in range(op.OutputsLength()):
            t = op.Outputs(j)
            if t >= 0 and t not in outs and sg.Tensors(t).Type() in (9, 3, 2):
                outs.append(t)
    field = sg._tab.Pos + sg._tab.Offset(8)  # SubGraph.outputs
    while len(buf) % 4:
        buf.append(0)
    pos = len(buf)
    buf += struct.pack("<I", len(outs)) + struct.pack(f"<{len(outs)}i", *outs)
    struct.pack_into("<I", buf, field, pos - field)
    return bytes(buf), outs


def srdhm(a, b):
    ab = a.astype(np.int64) * b
    r = ab + np.where(ab >= 0, 1 << 30, 1 - (1 << 30))
    return np.where(r >= 0, r >> 31, -((-r) >> 31))


def requant(kind, acc, qm, sh, upward_ok=True):
    left, right = max(sh, 0), max(-sh, 0)
    if kind == "single":
        return (acc * qm + (1 << (30 - sh))) >> (31 - sh)
    high = srdhm(acc * (1 << left), qm)
    if kind == "upward" and upward_ok:
        return (high + ((1 << right) >> 1)) >> right
    mask = (1 << right) - 1
    return (high >> right) + ((high & mask) > (mask >> 1) + (high < 0))


def qmul(real):
    m, e = np.frexp(real)
    q = int(round(m * (1 << 31)))
    return (q // 2, int(e) + 1) if q == 1 << 31 else (q, int(e))


def main():
    kw = sys.argv[1]
    path = LIB_DIR / "models" / f"{kw}.tflite"
    src = path.read_bytes()
    patched, outs = keep_all_outputs(src)
    if len(sys.argv) > 2:
        q = np.fromfile(sys.argv[2], np.int8).reshape(-1, 120)
    else:
        a = np.fromfile("/usr/share/pocketsphinx/test/data/goforward.raw", "<i2")
        q = ref.TfliteKws(kw).quantize(ref.features(a))
        q = q[: len(q) // 3 * 3].reshape(-1, 120)
    lib = ctypes.CDLL(str(LIB_DIR / "lib" / "libtensorflowlite_c.so"))
    vp = ctypes.c_void_p
    for f, r, a in [("TfLiteModelCreate", vp, [ctypes.c_char_p, ctypes.c_size_t]),
                    ("TfLiteInterpreterCreate", vp, [vp, vp]),
                    ("TfLiteInterpreterAllocateTensors", ctypes.c_int, [vp]),
                    ("TfLiteInterpreterInvoke", ctypes.c_int, [vp]),
                    ("TfLiteInterpreterGetInputTensor", vp, [vp, ctypes.c_int32]),
                    ("TfLiteInterpreterGetOutputTensor", vp, [vp, ctypes.c_int32]),
                    ("TfLiteTensorByteSize", ctypes.c_size_t, [vp]),
                    ("TfLiteTensorCopyToBuffer", ctypes.c_int, [vp, vp, ctypes.c_size_t]),
                    ("TfLiteTensorCopyFromBuffer", ctypes.c_int, [vp, vp, ctypes.c_size_t])]:
        fn = getattr(lib, f)
        fn.restype, fn.argtypes = r, a
    model = lib.TfLiteModelCreate(patched, len(patched))
    it = lib.TfLiteInterpreterCreate(model, None)
    assert lib.TfLiteInterpreterAllocateTensors(it) == 0
    inp = lib.TfLiteInterpreterGetInputTensor(it, 0)
    rec = []
    for row in q:
        x = np.ascontiguousarray(row)
        lib.TfLiteTensorCopyFromBuffer(inp, x.ctypes.data_as(vp), 120)
        assert lib.TfLiteInterpreterInvoke(it) == 0
        d = {}
        for k, ti in enumerate(outs):
            t = lib.TfLiteInterpreterGetOutputTensor(it, k)
            b = np.empty(lib.TfLiteTensorByteSize(t), np.uint8)
            lib.TfLiteTensorCopyToBuffer(t, b.ctypes.data_as(vp), b.size)
            d[ti] = b
        rec.append(d)

    M = tflite.Model.GetRootAsModel(src, 0)
    sg = M.Subgraphs(0)
    names = {v: k for k, v in tflite.BuiltinOperator.__dict__.items() if not k.startswith("_")}
    dts = {9: np.int8, 2: np.int32, 3: np.uint8}

    def tensor(ti, s):
        t = sg.Tensors(ti)
        b = M.Buffers(t.Buffer())
        if b.DataLength():
            return b.DataAsNumpy().view(dts[t.Type()]).reshape(t.ShapeAsNumpy()).astype(np.int64)
        v = q[s] if ti == sg.Inputs(0) else rec[s][ti].view(dts[t.Type()])
        return v.reshape(t.ShapeAsNumpy()).astype(np.int64)

    for oi in range(sg.OperatorsLength()):
        op = sg.Operators(oi)
        code = M.OperatorCodes(op.OpcodeIndex())
        name = names.get(max(code.BuiltinCode(), code.DeprecatedBuiltinCode()))
        if name not in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"):
            continue
        ins = [op.Inputs(j) for j in range(op.InputsLength())]
        qi, qf, qo = (sg.Tensors(t).Quantization() for t in (ins[0], ins[1], op.Outputs(0)))
        si, so, zi, zo = qi.Scale(0), qo.Scale(0), qi.ZeroPoint(0), qo.ZeroPoint(0)
        fs = qf.ScaleAsNumpy()
        counts = dict(double=0, single=0, fp32=0, upward=0)
        for s in range(len(rec)):
            x = tensor(ins[0], s) - zi
            w = tensor(ins[1], s)
            b = tensor(ins[2], s) if len(ins) > 2 else 0
            if name == "FULLY_CONNECTED":
                acc = (x.reshape(-1, w.shape[1]) @ w.T + b)
            elif name == "DEPTHWISE_CONV_2D":  # [1,H,1,C] VALID stride 1 over H
                K = w.shape[1]
                acc = np.stack([(x[0, h:h + K, 0] * w[0, :, 0]).sum(0)
                                for h in range(x.shape[1] - K + 1)]) + b
            else:
                opt = tflite.Conv2DOptions()
                t = op.BuiltinOptions()
                opt.Init(t.Bytes, t.Pos)
                K = w.shape[1]
                acc = np.stack([x[0, h:h + K, 0].reshape(-1) @ w.reshape(w.shape[0], -1).T
                                for h in range(0, x.shape[1] - K + 1, opt.StrideH())]) + b
            acc = acc.reshape(-1, acc.shape[-1])
            y = tensor(op.Outputs(0), s).reshape(acc.shape)
            C = acc.shape[-1]
            for kind in counts:
                r = np.empty_like(acc)
                for c in range(C):
                    f = float(fs[c if fs.size > 1 else 0])
                    real = (float(np.float32(si) * np.float32(f)) / so
                            if name == "FULLY_CONNECTED" else si * f / so)
                    if kind == "fp32":
                        r[:, c] = np.rint(acc[:, c].astype(np.float32) * np.float32(real))
                    else:
                        ok = name != "DEPTHWISE_CONV_2D" or c < (C & ~7)
                        r[:, c] = requant(kind, acc[:, c], *qmul(real), upward_ok=ok)
                lo = zo if name == "CONV_2D" else -128  # fused ReLU on the convolutions
                counts[kind] += int((np.clip(r + zo, lo, 127) != y).sum())
        print(oi, name, f"{acc.size * len(rec)} outputs, wrong:", counts)


if __name__ == "__main__":
    main()
