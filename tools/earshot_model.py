"""Writer and reader of the earshot model file (`.esm`, version 1), see docs/model-format.md.

The reader applies the same checks, in the same order, as the C++ loader (runtime/model/): a
file that one refuses, the other refuses too. Tensors are returned as read-only numpy views of
the memory-mapped file (nothing is copied).

    from earshot_model import write_model, read_model
    write_model(path, {"stage": "vad", ...}, {"conv.weight": array, ...})
    model = read_model(path, expected_stage="vad")
    model.metadata, model.tensors["conv.weight"]
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import struct
from dataclasses import dataclass, field

import numpy as np

MAGIC = b"EARSHOT\0"
VERSION = 1
HEADER_SIZE = 64
ENTRY_SIZE = 168
HASH_SIZE = 32
NAME_SIZE = 96
MAX_TENSORS = 65536
MAX_NDIM = 6
DATA_ALIGN = 64
TABLE_ALIGN = 8
U64_MAX = (1 << 64) - 1

STAGES = ("vad", "kws", "asr", "nlp")
REQUIRED_KEYS = ("stage", "architecture", "format_version", "source", "converter")
SOURCE_KEYS = ("package", "version", "file", "sha256")

# dtype code -> numpy dtype (little-endian), in the spec's order.
DTYPES = {
    0: np.dtype("<f4"),
    1: np.dtype("<f2"),
    2: np.dtype("i1"),
    3: np.dtype("u1"),
    4: np.dtype("<i2"),
    5: np.dtype("<i4"),
    6: np.dtype("<i8"),
}
DTYPE_NAMES = {0: "f32", 1: "f16", 2: "i8", 3: "u8", 4: "i16", 5: "i32", 6: "i64"}
_CODE_OF = {dt: code for code, dt in DTYPES.items()}

_HEADER = struct.Struct("<8sIIQQQQIIQ")  # 64 bytes
_ENTRY = struct.Struct("<96sII6QQQ")  # 168 bytes
assert _HEADER.size == HEADER_SIZE and _ENTRY.size == ENTRY_SIZE


class ModelError(ValueError):
    """A model file (or a model to write) that breaks the format; the message names the file."""


def _align(value: int, to: int) -> int:
    return (value + to - 1) // to * to


def dtype_code(dtype) -> int:
    dt = np.dtype(dtype).newbyteorder("<") if np.dtype(dtype).byteorder == ">" else np.dtype(dtype)
    for code, ref in DTYPES.items():
        if ref == dt:
            return code
    raise ModelError(f"dtype {dtype} has no earshot code (allowed: {', '.join(DTYPE_NAMES.values())})")


def check_metadata(meta, where: str, expected_stage: str | None = None) -> None:
    """Checks the required metadata keys (the loader's rule); raises ModelError."""
    if not isinstance(meta, dict):
        raise ModelError(f"{where}: metadata is not a JSON object")
    for key in REQUIRED_KEYS:
        if key not in meta:
            raise ModelError(f"{where}: metadata lacks the required key '{key}'")
    if meta["stage"] not in STAGES:
        raise ModelError(f"{where}: metadata stage '{meta['stage']}' is not one of {STAGES}")
    if expected_stage is not None and meta["stage"] != expected_stage:
        raise ModelError(
            f"{where}: model is for stage '{meta['stage']}', expected '{expected_stage}'")
    if not isinstance(meta["architecture"], str) or not meta["architecture"]:
        raise ModelError(f"{where}: metadata 'architecture' must be a non-empty string")
    if meta["format_version"] != 1 or isinstance(meta["format_version"], bool):
        raise ModelError(f"{where}: metadata format_version is {meta['format_version']!r}, not 1")
    source = meta["source"]
    if not isinstance(source, dict):
        raise ModelError(f"{where}: metadata 'source' is not an object")
    for key in SOURCE_KEYS:
        if key not in source:
            raise ModelError(f"{where}: metadata source lacks '{key}'")
    if not meta["converter"]:
        raise ModelError(f"{where}: metadata 'converter' is empty")


def _check_name(name: str, where: str) -> bytes:
    if not isinstance(name, str) or not name:
        raise ModelError(f"{where}: tensor name must be a non-empty string")
    raw = name.encode("utf-8")
    if b"\0" in raw or len(raw) >= NAME_SIZE:
        raise ModelError(f"{where}: tensor name '{name}' has a NUL or is longer than 95 bytes")
    return raw


def encode_model(metadata: dict, tensors: dict) -> bytes:
    """Returns the bytes of a model file; `tensors` maps name -> numpy array (order kept)."""
    check_metadata(metadata, "model to write")
    if len(tensors) > MAX_TENSORS:
        raise ModelError(f"model to write: {len(tensors)} tensors, at most {MAX_TENSORS}")
    meta = json.dumps(metadata, ensure_ascii=False, sort_keys=True, allow_nan=False).encode("utf-8")
    table_offset = _align(HEADER_SIZE + len(meta), TABLE_ALIGN)
    data_offset = _align(table_offset + ENTRY_SIZE * len(tensors), DATA_ALIGN)

    entries, blobs, seen = [], [], set()
    cursor = data_offset
    for name, array in tensors.items():
        raw_name = _check_name(name, "model to write")
        if name in seen:
            raise ModelError(f"model to write: tensor name '{name}' is used twice")
        seen.add(name)
        array = np.asarray(array)
        code = dtype_code(array.dtype)
        if array.ndim > MAX_NDIM:
            raise ModelError(f"model to write: tensor '{name}' has {array.ndim} dims, at most 6")
        data = np.ascontiguousarray(array, dtype=DTYPES[code]).tobytes()
        cursor = _align(cursor, DATA_ALIGN)
        shape = list(array.shape) + [0] * (MAX_NDIM - array.ndim)
        entries.append(_ENTRY.pack(raw_name.ljust(NAME_SIZE, b"\0"), code, array.ndim, *shape,
                                   cursor, len(data)))
        blobs.append((cursor, data))
        cursor += len(data)

    file_size = cursor + HASH_SIZE
    out = bytearray(file_size)
    out[0:HEADER_SIZE] = _HEADER.pack(MAGIC, VERSION, HEADER_SIZE, file_size, HEADER_SIZE,
                                      len(meta), table_offset, len(tensors), 0, data_offset)
    out[HEADER_SIZE:HEADER_SIZE + len(meta)] = meta
    for i, entry in enumerate(entries):
        out[table_offset + i * ENTRY_SIZE:table_offset + (i + 1) * ENTRY_SIZE] = entry
    for offset, data in blobs:
        out[offset:offset + len(data)] = data
    out[file_size - HASH_SIZE:] = hashlib.sha256(memoryview(out)[:file_size - HASH_SIZE]).digest()
    return bytes(out)


def write_model(path, metadata: dict, tensors: dict) -> int:
    """Writes a model atomically (temporary file in the same folder, then rename); returns size."""
    blob = encode_model(metadata, tensors)
    path = os.fspath(path)
    tmp = f"{path}.tmp{os.getpid()}"
    try:
        with open(tmp, "wb") as f:
            f.write(blob)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return len(blob)


@dataclass
class TensorInfo:
    name: str
    dtype: int
    shape: tuple
    offset: int
    nbytes: int


@dataclass
class Model:
    path: str
    metadata: dict
    infos: list
    tensors: dict = field(default_factory=dict)  # name -> read-only numpy view
    _buffer: object = None

    def dequantized(self, name: str) -> np.ndarray:
        """`name` as f32: int8 tensors with `<name>.scale` (per tensor or per output channel,
        axis 0) and an optional `<name>.zero_point` are dequantized."""
        t = self.tensors[name]
        if t.dtype == np.float32:
            return np.array(t)
        if t.dtype == np.float16:
            return t.astype(np.float32)
        scale = self.tensors[name + ".scale"].astype(np.float32)
        zp = self.tensors.get(name + ".zero_point")
        zp = np.zeros_like(scale, dtype=np.int32) if zp is None else zp.astype(np.int32)
        bshape = (-1,) + (1,) * (t.ndim - 1) if scale.size > 1 else ()
        return ((t.astype(np.int32) - zp.reshape(bshape)) * scale.reshape(bshape)).astype(np.float32)


def _fail(path, message):
    raise ModelError(f"{path}: {message}")


def decode_model(buf, path: str = "<memory>", expected_stage: str | None = None,
                 verify: bool = True) -> Model:
    """Checks and decodes a model held in `buf` (bytes, mmap...); see the loading rules."""
    view = memoryview(buf)
    size = len(view)
    if size < HEADER_SIZE + HASH_SIZE:
        _fail(path, f"file is {size} bytes, smaller than header + hash ({HEADER_SIZE + HASH_SIZE})")
    (magic, version, header_size, file_size, meta_offset, meta_size, table_offset, count, flags,
     data_offset) = _HEADER.unpack_from(view, 0)
    if magic != MAGIC:
        _fail(path, "bad magic (not an earshot model file)")
    if version != VERSION:
        _fail(path, f"format version {version} is not supported (this reader reads {VERSION})")
    if header_size != HEADER_SIZE:
        _fail(path, f"header_size is {header_size}, expected {HEADER_SIZE}")
    if file_size != size:
        _fail(path, f"header says {file_size} bytes but the file has {size} (truncated?)")
    if meta_offset != HEADER_SIZE:
        _fail(path, f"meta_offset is {meta_offset}, expected {HEADER_SIZE}")
    if meta_size == 0:
        _fail(path, "meta_size is 0")
    if table_offset % TABLE_ALIGN != 0:
        _fail(path, f"table_offset {table_offset} is not a multiple of {TABLE_ALIGN}")
    if meta_size > table_offset or meta_offset + meta_size > table_offset:
        _fail(path, f"metadata [{meta_offset}, +{meta_size}) runs past table_offset {table_offset}")
    if count > MAX_TENSORS:
        _fail(path, f"tensor_count {count} exceeds {MAX_TENSORS}")
    if flags != 0:
        _fail(path, f"flags is {flags:#x}, expected 0")
    table_end = table_offset + ENTRY_SIZE * count  # bounded: count <= 65536, offsets < 2^64
    if data_offset % DATA_ALIGN != 0:
        _fail(path, f"data_offset {data_offset} is not a multiple of {DATA_ALIGN}")
    if data_offset < table_end:
        _fail(path, f"data_offset {data_offset} overlaps the tensor table (ends at {table_end})")
    payload_end = size - HASH_SIZE
    if data_offset > payload_end:
        _fail(path, f"data_offset {data_offset} is past the end of the data ({payload_end})")

    try:
        meta = json.loads(bytes(view[meta_offset:meta_offset + meta_size]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        _fail(path, f"metadata is not valid UTF-8 JSON ({e})")
    try:
        check_metadata(meta, path, expected_stage)
    except ModelError:
        raise

    infos, names, spans = [], set(), []
    for i in range(count):
        raw_name, code, ndim, *rest = _ENTRY.unpack_from(view, table_offset + i * ENTRY_SIZE)
        shape_all, offset, nbytes = rest[:6], rest[6], rest[7]
        nul = raw_name.find(b"\0")
        if nul <= 0:
            _fail(path, f"tensor {i}: name is empty or not NUL-terminated")
        if raw_name[nul:] != b"\0" * (NAME_SIZE - nul):
            _fail(path, f"tensor {i}: name is not NUL-padded")
        try:
            name = raw_name[:nul].decode("utf-8")
        except UnicodeDecodeError:
            _fail(path, f"tensor {i}: name is not UTF-8")
        if name in names:
            _fail(path, f"tensor '{name}' appears twice")
        names.add(name)
        if code not in DTYPES:
            _fail(path, f"tensor '{name}': unknown dtype code {code}")
        if ndim > MAX_NDIM:
            _fail(path, f"tensor '{name}': ndim {ndim} exceeds {MAX_NDIM}")
        if any(d != 0 for d in shape_all[ndim:]):
            _fail(path, f"tensor '{name}': dims past ndim are not 0")
        elements = 1
        for d in shape_all[:ndim]:
            elements *= d
            if elements > U64_MAX:
                _fail(path, f"tensor '{name}': shape {shape_all[:ndim]} overflows")
        expect = elements * DTYPES[code].itemsize
        if expect > U64_MAX or expect != nbytes:
            _fail(path, f"tensor '{name}': shape and dtype give {expect} bytes, entry says {nbytes}")
        if offset % DATA_ALIGN != 0:
            _fail(path, f"tensor '{name}': offset {offset} is not a multiple of {DATA_ALIGN}")
        if offset < data_offset:
            _fail(path, f"tensor '{name}': offset {offset} is before data_offset {data_offset}")
        if offset > payload_end or nbytes > payload_end - offset:
            _fail(path, f"tensor '{name}': [{offset}, +{nbytes}) runs past the data end {payload_end}")
        infos.append(TensorInfo(name, code, tuple(shape_all[:ndim]), offset, nbytes))
        if nbytes:
            spans.append((offset, offset + nbytes, name))
    spans.sort()
    for (a0, a1, an), (b0, b1, bn) in zip(spans, spans[1:]):
        if b0 < a1:
            _fail(path, f"tensors '{an}' and '{bn}' overlap")

    if verify:
        digest = hashlib.sha256(view[:payload_end]).digest()
        if digest != bytes(view[payload_end:]):
            _fail(path, "SHA-256 mismatch (file corrupted)")

    model = Model(path, meta, infos, _buffer=buf)
    for info in infos:
        dt = DTYPES[info.dtype]
        arr = np.frombuffer(buf, dtype=dt, count=info.nbytes // dt.itemsize, offset=info.offset)
        model.tensors[info.name] = arr.reshape(info.shape)
    return model


def read_model(path, expected_stage: str | None = None, verify: bool = True) -> Model:
    """Maps and checks a model file; raises ModelError naming the file and the problem."""
    path = os.fspath(path)
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size == 0:
                _fail(path, "file is empty")
            buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except OSError as e:
        raise ModelError(f"{path}: cannot open ({e.strerror})") from None
    return decode_model(buf, path, expected_stage, verify)


def file_sha256(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def quantize_per_channel_int8(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 per output channel (axis 0): q = round(w / s), s = max|w| / 127.
    Returns (q int8, scale f32 of shape [out]); an all-zero channel gets scale 1."""
    w = np.asarray(weight, dtype=np.float32)
    flat = w.reshape(w.shape[0], -1)
    amax = np.abs(flat).max(axis=1)
    scale = np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(flat / scale[:, None]), -127, 127).astype(np.int8)
    return q.reshape(w.shape), scale


def main(argv=None) -> int:
    """`python tools/earshot_model.py FILE...`: checks each file and prints a summary."""
    import argparse
    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("files", nargs="+")
    ap.add_argument("--tensors", action="store_true", help="list every tensor")
    args = ap.parse_args(argv)
    rc = 0
    for path in args.files:
        try:
            m = read_model(path)
        except ModelError as e:
            print(f"error: {e}")
            rc = 1
            continue
        total = sum(i.nbytes for i in m.infos)
        print(f"{path}: {m.metadata['stage']} {m.metadata['architecture']} "
              f"quantization={m.metadata.get('quantization', '?')} tensors={len(m.infos)} "
              f"data={total} bytes")
        if args.tensors:
            for i in m.infos:
                print(f"  {i.name:60s} {DTYPE_NAMES[i.dtype]:4s} {list(i.shape)}")
    return rc


if __name__ == "__main__":
    raise SystemExit(main())
