"""Reader of CTranslate2's `model.bin` (binary version 5 and 6), written from the writer in
ctranslate2/specs/model_spec.py (`ModelSpec._serialize`). All integers little-endian:

    u32 binary_version                      (6 for ctranslate2 4.x)
    str spec_name                           e.g. "WhisperSpec"
    u32 spec_revision
    u32 variable_count
    variable_count times:
        str name                            scopes joined by '/', e.g. encoder/conv1/weight
        u8  ndim, u32 dims[ndim]
        u8  dtype                           0 float32, 1 int8, 2 int16, 3 int32, 4 float16, 5 bfloat16
        u32 nbytes, then nbytes of row-major data
    u32 alias_count
    alias_count times: str alias, str target   (a variable equal to another, stored once)

where `str` is u16 length (including a trailing NUL), the UTF-8 bytes, then the NUL.
Quantized models carry `<name>_scale` variables beside int8/int16 weights.
"""

from __future__ import annotations

import struct

import numpy as np

from convert.common import ConversionError

DTYPES = (np.float32, np.int8, np.int16, np.int32, np.float16, None)  # bfloat16 not read
DTYPE_NAMES = ("float32", "int8", "int16", "int32", "float16", "bfloat16")


class CT2Model:
    def __init__(self, version, spec, revision, variables, aliases):
        self.version, self.spec, self.revision = version, spec, revision
        self.variables = variables  # name -> numpy array (view of the file's bytes)
        self.aliases = aliases  # alias name -> target name


def read_ct2(buf: bytes, path: str) -> CT2Model:
    pos = 0

    def need(n):
        if pos + n > len(buf):
            raise ConversionError(f"{path}: truncated CTranslate2 model (at byte {pos}, needs {n})")

    def u(fmt):
        nonlocal pos
        size = struct.calcsize("<" + fmt)
        need(size)
        (v,) = struct.unpack_from("<" + fmt, buf, pos)
        pos += size
        return v

    def s():
        nonlocal pos
        n = u("H")
        need(n)
        raw = buf[pos:pos + n]
        if n == 0 or raw[-1] != 0:
            raise ConversionError(f"{path}: bad string at byte {pos}")
        pos += n
        try:
            return raw[:-1].decode("utf-8")
        except UnicodeDecodeError:
            raise ConversionError(f"{path}: string at byte {pos - n} is not UTF-8") from None

    version = u("I")
    if version not in (5, 6):
        raise ConversionError(f"{path}: not a CTranslate2 model.bin of binary version 5 or 6 "
                              f"(first word {version})")
    spec = s()
    revision = u("I")
    count = u("I")
    variables = {}
    for _ in range(count):
        name = s()
        ndim = u("B")
        shape = [u("I") for _ in range(ndim)]
        code = u("B")
        if code >= len(DTYPES) or DTYPES[code] is None:
            raise ConversionError(f"{path}: variable {name} has unsupported dtype code {code}")
        nbytes = u("I")
        dt = np.dtype(DTYPES[code]).newbyteorder("<")
        if nbytes != int(np.prod(shape, dtype=np.int64)) * dt.itemsize:
            raise ConversionError(f"{path}: variable {name}: {nbytes} bytes for shape {shape} "
                                  f"{DTYPE_NAMES[code]}")
        need(nbytes)
        variables[name] = np.frombuffer(buf, dtype=dt, count=nbytes // dt.itemsize,
                                        offset=pos).reshape(shape)
        pos += nbytes
    aliases = {}
    for _ in range(u("I")):
        alias = s()
        aliases[alias] = s()
        if aliases[alias] not in variables:
            raise ConversionError(f"{path}: alias {alias} -> unknown {aliases[alias]}")
    if pos != len(buf):
        raise ConversionError(f"{path}: {len(buf) - pos} trailing bytes after the aliases")
    return CT2Model(version, spec, revision, variables, aliases)
