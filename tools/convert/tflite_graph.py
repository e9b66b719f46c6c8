"""Reads a TFLite flatbuffer (with the `tflite` package's generated accessors) into plain Python:
tensors with their quantization and constant data, ops with their options, subgraphs.

Only what the int8 streaming microWakeWord models use is understood; anything else (other
ops, float graphs, external buffers) is refused with ConversionError.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from convert.common import ConversionError

SUPPORTED_OPS = {
    "CALL_ONCE", "VAR_HANDLE", "READ_VARIABLE", "ASSIGN_VARIABLE", "RESHAPE", "CONCATENATION",
    "STRIDED_SLICE", "SPLIT_V", "CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "LOGISTIC",
    "QUANTIZE", "DEQUANTIZE",
}
# TFLite TensorType -> (earshot dtype name, numpy dtype); RESOURCE has no data.
TENSOR_TYPES = {
    "FLOAT32": ("f32", np.float32), "INT32": ("i32", np.int32), "UINT8": ("u8", np.uint8),
    "INT64": ("i64", np.int64), "INT16": ("i16", np.int16), "INT8": ("i8", np.int8),
    "RESOURCE": ("resource", None),
}


@dataclass
class Tensor:
    index: int
    name: str
    type: str
    shape: list
    data: np.ndarray | None
    scale: np.ndarray | None = None
    zero_point: np.ndarray | None = None
    quantized_dimension: int = 0


@dataclass
class Op:
    index: int
    op: str
    version: int
    inputs: list
    outputs: list
    options: dict = field(default_factory=dict)


@dataclass
class Subgraph:
    name: str
    tensors: list
    ops: list
    inputs: list
    outputs: list


def _enum_names(cls) -> dict:
    return {v: k for k, v in vars(cls).items() if not k.startswith("_") and isinstance(v, int)}


def _options(tflite, op, opname: str) -> dict:
    table = op.BuiltinOptions()
    act = _enum_names(tflite.ActivationFunctionType)
    pad = _enum_names(tflite.Padding)

    def load(cls):
        o = cls()
        o.Init(table.Bytes, table.Pos)
        return o

    if table is None:
        return {}
    if opname == "CONV_2D":
        o = load(tflite.Conv2DOptions)
        return {"padding": pad[o.Padding()], "stride_h": o.StrideH(), "stride_w": o.StrideW(),
                "dilation_h": o.DilationHFactor(), "dilation_w": o.DilationWFactor(),
                "fused_activation": act[o.FusedActivationFunction()]}
    if opname == "DEPTHWISE_CONV_2D":
        o = load(tflite.DepthwiseConv2DOptions)
        return {"padding": pad[o.Padding()], "stride_h": o.StrideH(), "stride_w": o.StrideW(),
                "dilation_h": o.DilationHFactor(), "dilation_w": o.DilationWFactor(),
                "depth_multiplier": o.DepthMultiplier(),
                "fused_activation": act[o.FusedActivationFunction()]}
    if opname == "CONCATENATION":
        o = load(tflite.ConcatenationOptions)
        return {"axis": o.Axis(), "fused_activation": act[o.FusedActivationFunction()]}
    if opname == "STRIDED_SLICE":
        o = load(tflite.StridedSliceOptions)
        return {"begin_mask": o.BeginMask(), "end_mask": o.EndMask(),
                "ellipsis_mask": o.EllipsisMask(), "new_axis_mask": o.NewAxisMask(),
                "shrink_axis_mask": o.ShrinkAxisMask(), "offset": bool(o.Offset())}
    if opname == "SPLIT_V":
        return {"num_splits": load(tflite.SplitVOptions).NumSplits()}
    if opname == "FULLY_CONNECTED":
        o = load(tflite.FullyConnectedOptions)
        return {"fused_activation": act[o.FusedActivationFunction()],
                "weights_format": o.WeightsFormat(), "keep_num_dims": bool(o.KeepNumDims()),
                "asymmetric_quantize_inputs": bool(o.AsymmetricQuantizeInputs())}
    if opname == "RESHAPE":
        o = load(tflite.ReshapeOptions)
        return {"new_shape": o.NewShapeAsNumpy().tolist() if o.NewShapeLength() else []}
    if opname == "VAR_HANDLE":
        o = load(tflite.VarHandleOptions)
        return {"container": (o.Container() or b"").decode(),
                "shared_name": (o.SharedName() or b"").decode()}
    if opname == "CALL_ONCE":
        return {"init_subgraph_index": load(tflite.CallOnceOptions).InitSubgraphIndex()}
    return {}


def read_tflite(buf: bytes, path: str) -> list:
    """Returns the subgraphs of a TFLite model; raises ConversionError for anything unexpected."""
    if len(buf) < 8 or buf[4:8] != b"TFL3":
        raise ConversionError(f"{path}: not a TFLite flatbuffer (no 'TFL3' identifier)")
    try:
        import tflite
    except ImportError:
        raise ConversionError("the 'tflite' package is missing (tools/requirements.txt)") from None
    try:
        return _read(tflite, buf, path)
    except ConversionError:
        raise
    except Exception as e:  # a corrupt flatbuffer makes the accessors fail in many ways
        raise ConversionError(f"{path}: corrupt TFLite flatbuffer ({type(e).__name__}: {e})") from None


def _read(tflite, buf: bytes, path: str) -> list:
    model = tflite.Model.GetRootAsModel(buf, 0)
    if model.Version() != 3:
        raise ConversionError(f"{path}: TFLite schema version {model.Version()}, expected 3")
    opnames = _enum_names(tflite.BuiltinOperator)
    typenames = _enum_names(tflite.TensorType)
    codes = []
    for i in range(model.OperatorCodesLength()):
        c = model.OperatorCodes(i)
        codes.append((opnames.get(max(c.BuiltinCode(), c.DeprecatedBuiltinCode()), "CUSTOM"),
                      c.Version()))
    subgraphs = []
    for s in range(model.SubgraphsLength()):
        g = model.Subgraphs(s)
        tensors = []
        for t in range(g.TensorsLength()):
            T = g.Tensors(t)
            tname = typenames.get(T.Type(), str(T.Type()))
            if tname not in TENSOR_TYPES:
                raise ConversionError(f"{path}: tensor {t} has unsupported type {tname}")
            if T.ShapeSignatureLength() and (T.ShapeSignatureAsNumpy() < 0).any():
                raise ConversionError(f"{path}: tensor {t} has a dynamic shape")
            shape = T.ShapeAsNumpy().tolist() if T.ShapeLength() else []
            b = model.Buffers(T.Buffer())
            if b.Offset() > 1:
                raise ConversionError(f"{path}: tensor {t} uses an external buffer")
            data = None
            np_type = TENSOR_TYPES[tname][1]
            if b.DataLength() and np_type is not None:
                raw = b.DataAsNumpy().tobytes()
                count = int(np.prod(shape)) if shape else 1
                if len(raw) != count * np.dtype(np_type).itemsize:
                    raise ConversionError(f"{path}: tensor {t} buffer has {len(raw)} bytes for "
                                          f"shape {shape}")
                data = np.frombuffer(raw, dtype=np.dtype(np_type).newbyteorder("<")).reshape(shape)
            tensor = Tensor(t, (T.Name() or b"").decode(), tname, shape, data)
            q = T.Quantization()
            if q is not None and q.ScaleLength():
                if q.DetailsType() != 0:
                    raise ConversionError(f"{path}: tensor {t} has unsupported quantization")
                tensor.scale = q.ScaleAsNumpy().astype(np.float32)
                tensor.zero_point = q.ZeroPointAsNumpy().astype(np.int64)
                tensor.quantized_dimension = q.QuantizedDimension()
                if len(tensor.zero_point) != len(tensor.scale):
                    raise ConversionError(f"{path}: tensor {t} has {len(tensor.scale)} scales and "
                                          f"{len(tensor.zero_point)} zero points")
            tensors.append(tensor)
        ops = []
        for o in range(g.OperatorsLength()):
            op = g.Operators(o)
            name, version = codes[op.OpcodeIndex()]
            if name not in SUPPORTED_OPS:
                raise ConversionError(f"{path}: operator {o} is {name}, not one the earshot "
                                      f"micro-wakeword runtime supports")
            ops.append(Op(o, name, version,
                          op.InputsAsNumpy().tolist() if op.InputsLength() else [],
                          op.OutputsAsNumpy().tolist() if op.OutputsLength() else [],
                          _options(tflite, op, name)))
        subgraphs.append(Subgraph((g.Name() or b"").decode(), tensors, ops,
                                  g.InputsAsNumpy().tolist(), g.OutputsAsNumpy().tolist()))
    if not subgraphs:
        raise ConversionError(f"{path}: TFLite model has no subgraph")
    return subgraphs
