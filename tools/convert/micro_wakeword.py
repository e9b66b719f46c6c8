"""microWakeWord streaming int8 TFLite models (pymicro-wakeword) -> earshot model files.

The TFLite graph is kept as it is: every op in order with its options, every tensor with its
shape and its int8 quantization (scales and zero points bit-exact), the constant data of weights,
biases and op parameters, and the streaming state variables (VAR_HANDLE / READ_VARIABLE /
ASSIGN_VARIABLE) with the initial values assigned by the init subgraph (CALL_ONCE). The model's
JSON manifest (wake word, probability_cutoff, sliding_window_size, ...) goes into the metadata.

Tensor names in the .esm file (TFLite's own names are often longer than 95 bytes):
  input / output                     the graph's input and output
  var.<shared_name>                  a state variable (resource); `.init` its initial value
  opNN.<op>[.k]                      output k of op NN (e.g. op14.conv_2d)
  opNN.<op>.<role>                   a constant first used by op NN (filter, bias, begin, ...)
Every quantized tensor `X` (constant or not) has `X.scale` (f32) and `X.zero_point` (i32).

    python -m convert.micro_wakeword --out-dir DIR [--model NAME | --tflite FILE --json FILE]
"""

from __future__ import annotations

import argparse
import json
import os

import numpy as np

from convert.common import ConversionError, package_file, read_bytes, run_cli, source_record
from convert.tflite_graph import TENSOR_TYPES, read_tflite
from earshot_model import write_model

CONVERTER = "earshot convert.micro_wakeword 1"
PACKAGE, MODULE = "pymicro-wakeword", "pymicro_wakeword"
BUILTIN_MODELS = ("okay_nabu", "hey_jarvis", "alexa", "hey_mycroft")

ROLES = {
    "CONV_2D": ["input", "filter", "bias"],
    "DEPTHWISE_CONV_2D": ["input", "filter", "bias"],
    "FULLY_CONNECTED": ["input", "weights", "bias"],
    "STRIDED_SLICE": ["input", "begin", "end", "strides"],
    "SPLIT_V": ["input", "size_splits", "axis"],
    "RESHAPE": ["input", "shape"],
    "ASSIGN_VARIABLE": ["resource", "value"],
}
# Constant int32 inputs whose values are also written into the op's JSON (readable parameters).
PARAM_ROLES = {"begin", "end", "strides", "size_splits", "axis", "shape"}


def _var_name(shared_name: str) -> str:
    return "var." + shared_name.replace("/", ".")


def _name_tensors(graph, var_of_handle) -> dict:
    """Gives every tensor of the main graph its earshot name (see the module docstring)."""
    names = {}
    for i in graph.inputs:
        names[i] = "input" if len(graph.inputs) == 1 else f"input.{graph.inputs.index(i)}"
    for i in graph.outputs:
        names[i] = "output" if len(graph.outputs) == 1 else f"output.{graph.outputs.index(i)}"
    for op in graph.ops:
        stem = f"op{op.index:02d}.{op.op.lower()}"
        for k, t in enumerate(op.outputs):
            if t in names:
                continue
            if op.op == "VAR_HANDLE":
                names[t] = var_of_handle[t]
            else:
                names[t] = stem if len(op.outputs) == 1 else f"{stem}.{k}"
        roles = ROLES.get(op.op, [])
        for k, t in enumerate(op.inputs):
            if t < 0 or t in names:
                continue
            role = roles[k] if k < len(roles) else f"in{k}"
            names[t] = f"{stem}.{role}"
    for t in graph.tensors:
        names.setdefault(t.index, f"t{t.index:03d}")
    if len(set(names.values())) != len(names):
        raise ConversionError("tensor naming produced duplicates")
    return names


def _add_quant(out: dict, name: str, tensor) -> dict | None:
    if tensor.scale is None:
        return None
    out[name + ".scale"] = tensor.scale.astype(np.float32)
    out[name + ".zero_point"] = tensor.zero_point.astype(np.int32)
    return {"channels": int(len(tensor.scale)), "dimension": int(tensor.quantized_dimension)}


def convert_one(tflite_path: str, json_path: str, out_path: str, source: dict) -> str:
    try:
        manifest = json.loads(read_bytes(json_path).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ConversionError(f"{json_path}: not a JSON manifest ({e})") from None
    if not isinstance(manifest, dict) or manifest.get("type") != "micro" or \
            not isinstance(manifest.get("micro"), dict):
        raise ConversionError(f"{json_path}: not a microWakeWord manifest (type != 'micro')")
    micro = manifest["micro"]
    for key in ("probability_cutoff", "sliding_window_size", "feature_step_size"):
        if key not in micro:
            raise ConversionError(f"{json_path}: manifest lacks micro.{key}")

    graphs = read_tflite(read_bytes(tflite_path), tflite_path)
    main = graphs[0]
    if len(main.inputs) != 1 or len(main.outputs) != 1:
        raise ConversionError(f"{tflite_path}: expected one input and one output")
    t_in, t_out = main.tensors[main.inputs[0]], main.tensors[main.outputs[0]]
    if t_in.type != "INT8" or t_in.scale is None or t_out.scale is None:
        raise ConversionError(f"{tflite_path}: not an int8 quantized model (input {t_in.type})")

    # State variables: handle tensor -> name; initial values from the CALL_ONCE subgraph.
    var_of_handle, inits = {}, {}
    call_once = [op for op in main.ops if op.op == "CALL_ONCE"]
    for op in main.ops:
        if op.op == "VAR_HANDLE":
            var_of_handle[op.outputs[0]] = _var_name(op.options["shared_name"])
    for op in call_once:
        g = graphs[op.options["init_subgraph_index"]]
        handles = {o.outputs[0]: _var_name(o.options["shared_name"])
                   for o in g.ops if o.op == "VAR_HANDLE"}
        for o in g.ops:
            if o.op == "ASSIGN_VARIABLE":
                value = g.tensors[o.inputs[1]]
                if value.data is None:
                    raise ConversionError(f"{tflite_path}: variable init is not a constant")
                inits[handles[o.inputs[0]]] = value
            elif o.op != "VAR_HANDLE":
                raise ConversionError(f"{tflite_path}: init subgraph has op {o.op}")

    names = _name_tensors(main, var_of_handle)
    tensors, tensor_meta = {}, []
    for t in main.tensors:
        name = names[t.index]
        entry = {"index": t.index, "name": name, "tflite_name": t.name,
                 "dtype": TENSOR_TYPES[t.type][0], "shape": t.shape,
                 "const": t.data is not None}
        if t.data is not None:
            tensors[name] = t.data
        entry["quantization"] = _add_quant(tensors, name, t)
        tensor_meta.append(entry)

    variables = []
    for handle, vname in var_of_handle.items():
        init = inits.get(vname)
        if init is None:
            raise ConversionError(f"{tflite_path}: variable {vname} has no initial value")
        reads = [op.outputs[0] for op in main.ops
                 if op.op == "READ_VARIABLE" and op.inputs[0] == handle]
        tensors[vname + ".init"] = init.data
        q = _add_quant(tensors, vname + ".init", init)
        variables.append({"name": vname, "dtype": TENSOR_TYPES[init.type][0], "shape": init.shape,
                          "init": vname + ".init", "quantization": q,
                          "read_as": [names[r] for r in reads]})

    ops = []
    for op in main.ops:
        entry = {"index": op.index, "op": op.op, "version": op.version,
                 "inputs": [names[i] if i >= 0 else None for i in op.inputs],
                 "outputs": [names[o] for o in op.outputs], "options": op.options}
        roles = ROLES.get(op.op, [])
        params = {}
        for k, i in enumerate(op.inputs):
            role = roles[k] if k < len(roles) else None
            t = main.tensors[i] if i >= 0 else None
            if role in PARAM_ROLES and t is not None and t.data is not None:
                params[role] = t.data.tolist()
        if params:
            entry["params"] = params
        ops.append(entry)

    def io(t):
        return {"name": names[t.index], "dtype": TENSOR_TYPES[t.type][0], "shape": t.shape,
                "scale": float(t.scale[0]), "zero_point": int(t.zero_point[0])}

    meta = {
        "stage": "kws", "architecture": "micro-wakeword", "format_version": 1,
        "source": source, "converter": CONVERTER, "quantization": "tflite-int8",
        "wake_word": manifest.get("wake_word"),
        "probability_cutoff": micro["probability_cutoff"],
        "sliding_window_size": micro["sliding_window_size"],
        "feature_step_size": micro["feature_step_size"],
        "tensor_arena_size": micro.get("tensor_arena_size"),
        "manifest": manifest,
        "features": {"frontend": "tflite-micro audio frontend (pymicro-features)",
                     "sample_rate": 16000, "window_ms": 30,
                     "step_ms": micro["feature_step_size"], "channels": t_in.shape[-1],
                     "frames_per_inference": t_in.shape[1]},
        "input": io(t_in), "output": io(t_out),
        "graph": {"tensors": tensor_meta, "ops": ops, "variables": variables,
                  "inputs": [names[i] for i in main.inputs],
                  "outputs": [names[o] for o in main.outputs]},
        "license": "Apache-2.0 (microWakeWord models, Kevin Ahrendt)",
    }
    write_model(out_path, meta, tensors)
    return out_path


def convert(out_dir: str, models=BUILTIN_MODELS) -> list[str]:
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for name in models:
        rel = f"models/{name}.tflite"
        tfl = package_file(PACKAGE, MODULE, rel)
        js = package_file(PACKAGE, MODULE, f"models/{name}.json")
        source = source_record(PACKAGE, MODULE, rel, tfl)
        written.append(convert_one(tfl, js, os.path.join(out_dir, f"kws-{name}.esm"), source))
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="microWakeWord TFLite -> earshot (.esm)")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--model", action="append", choices=BUILTIN_MODELS,
                    help="builtin model(s) of pymicro-wakeword (default: all)")
    ap.add_argument("--tflite", help="a .tflite file instead of the builtin models")
    ap.add_argument("--json", help="its manifest (with --tflite)")
    args = ap.parse_args(argv)
    if args.tflite:
        if not args.json:
            raise ConversionError("--tflite needs --json (the model's manifest)")
        if not os.path.isfile(args.tflite):
            raise ConversionError(f"{args.tflite}: no such file")
        from earshot_model import file_sha256
        source = {"package": "file", "version": "", "file": os.path.basename(args.tflite),
                  "sha256": file_sha256(args.tflite)}
        stem = os.path.splitext(os.path.basename(args.tflite))[0]
        os.makedirs(args.out_dir, exist_ok=True)
        print(convert_one(args.tflite, args.json, os.path.join(args.out_dir, f"kws-{stem}.esm"),
                          source))
        return 0
    for p in convert(args.out_dir, args.model or BUILTIN_MODELS):
        print(p)
    return 0


if __name__ == "__main__":
    run_cli(main)
