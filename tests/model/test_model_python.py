"""Cross-checks the C++ model code against Python (tools/earshot_model.py and hashlib).

1. Python writes models of every dtype; `earshot model verify` accepts them and `earshot model
   info` lists the same tensors.
2. Files damaged in Python (flipped byte, truncation, wrong stage) are refused by the CLI.
3. The C++ ModelWriter (tests/model_write_sample) writes a model; Python reads every value.
4. `earshot model sha256` equals hashlib.sha256 for lengths around the block boundaries.
5. Seeded random changes to header, metadata and table (hash recomputed): the C++ loader and
   the Python reader accept and refuse exactly the same files.

Run by ctest (earshot_pytest) with EARSHOT_BIN and EARSHOT_BUILD_DIR set.
"""

import hashlib
import os
import subprocess
import sys
import tempfile

import numpy as np

import earshot_model as em

EARSHOT = os.environ["EARSHOT_BIN"]
WRITE_SAMPLE = os.path.join(os.environ["EARSHOT_BUILD_DIR"], "tests", "model_write_sample")

META = {
    "stage": "nlp",
    "architecture": "cross-check",
    "format_version": 1,
    "source": {"package": "earshot", "version": "0", "file": "-", "sha256": ""},
    "converter": "tests/model/test_model_python.py",
    "labels": ["on", "off", "ünïcödé"],
}


def cli(*args):
    return subprocess.run([EARSHOT, "model", *args], capture_output=True, timeout=60,
                          encoding="utf-8", errors="strict")


def check(cond, message):
    if not cond:
        raise AssertionError(message)


def python_tensors():
    rng = np.random.default_rng(5)
    return {
        "w.f32": rng.standard_normal((7, 13)).astype(np.float32),
        "w.f16": rng.standard_normal((3, 5)).astype(np.float16),
        "w.i8": rng.integers(-128, 128, (4, 9), dtype=np.int8),
        "w.u8": rng.integers(0, 256, (17,), dtype=np.uint8),
        "w.i16": rng.integers(-30000, 30000, (2, 3, 4), dtype=np.int16),
        "w.i32": rng.integers(-2**31, 2**31, (5,), dtype=np.int32),
        "w.i64": rng.integers(-2**62, 2**62, (1, 1, 1, 1, 1, 3), dtype=np.int64),
        "w.scalar": np.array(3.5, dtype=np.float32),
        "w.empty": np.zeros((0, 4), dtype=np.float32),
    }


def test_python_written_files(tmp):
    path = os.path.join(tmp, "py.esm")
    tensors = python_tensors()
    em.write_model(path, META, tensors)
    r = cli("verify", path)
    check(r.returncode == 0 and r.stdout.strip() == "ok", f"verify refused a Python file: {r}")
    r = cli("verify", "--stage", "nlp", path)
    check(r.returncode == 0, f"verify --stage nlp: {r}")
    r = cli("info", "--verify", path)
    check(r.returncode == 0, f"info: {r}")
    for name, arr in tensors.items():
        dtype = em.DTYPE_NAMES[em.dtype_code(arr.dtype)]
        shape = "[" + ", ".join(str(d) for d in arr.shape) + "]"
        line = next((l for l in r.stdout.splitlines() if l.split()[:1] == [name]), None)
        check(line is not None, f"info does not list {name}")
        check(f" {dtype} " in line and shape in line and f" {arr.nbytes} " in line,
              f"info line for {name} is wrong: {line!r} (want {dtype} {shape} {arr.nbytes})")
    check("ünïcödé" in r.stdout, "info does not print the metadata")
    check(f"total: {len(tensors)} tensors" in r.stdout, "info total line")
    return path


def test_damaged_files(tmp, good):
    blob = open(good, "rb").read()

    def refused(data, needle, *extra):
        p = os.path.join(tmp, "bad.esm")
        with open(p, "wb") as f:
            f.write(data)
        r = cli("verify", *extra, p)
        check(r.returncode == 1, f"verify accepted a bad file ({needle}): {r}")
        check(needle in r.stderr and p in r.stderr, f"message {r.stderr!r} lacks {needle!r}")

    flipped = bytearray(blob)
    flipped[len(blob) - 100] ^= 0x10
    refused(bytes(flipped), "SHA-256 mismatch")
    refused(blob[:-1], "truncated")
    refused(b"", "file is empty")
    refused(blob, "expected 'asr'", "--stage", "asr")
    r = cli("verify", os.path.join(tmp, "missing.esm"))
    check(r.returncode == 1 and "no such file" in r.stderr, f"missing file: {r}")


def test_cpp_written_file(tmp):
    path = os.path.join(tmp, "cpp.esm")
    subprocess.run([WRITE_SAMPLE, path], check=True, timeout=60)
    m = em.read_model(path, expected_stage="kws")
    check(m.metadata["converter"] == {"tool": "model_write_sample", "version": "1"}, "metadata")
    check(m.metadata["note"] == "ünïcödé ✓", "unicode metadata")
    i = np.arange(15, dtype=np.float64)

    def expect(name, dtype, shape, values):
        t = m.tensors[name]
        check(t.dtype == np.dtype(dtype) and t.shape == shape, f"{name}: {t.dtype} {t.shape}")
        check(np.array_equal(t.reshape(-1), np.asarray(values, dtype=dtype)), f"{name} values")

    expect("t.f32", "<f4", (3, 5), i * 0.375 - 7)
    check(np.array_equal(m.tensors["t.f16"].reshape(-1).view(np.uint16),
                         (i + 0x3C00).astype(np.uint16)), "t.f16 bits")
    expect("t.i8", "i1", (3, 5), i * 9 - 64)
    expect("t.u8", "u1", (15,), i * 17 + 3)
    expect("t.i16", "<i2", (1, 3, 5), i * 1000 - 7000)
    expect("t.i32", "<i4", (5, 3), i * 100000 - 700000)
    expect("t.i64", "<i8", (15, 1), (np.arange(15, dtype=np.int64) * 10**12 - 7 * 10**12))
    expect("t.scalar", "<f4", (), [-7.0])
    expect("t.empty", "<f4", (0, 3), [])
    for info in m.infos:
        check(info.offset % 64 == 0, f"{info.name} not 64-aligned")
    r = cli("verify", path)
    check(r.returncode == 0, f"C++ CLI refuses the C++ writer's file: {r}")


def test_sha256(tmp):
    rng = np.random.default_rng(11)
    paths, want = [], {}
    for n in [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 1000, 65536 + 7, 3 * 2**20 + 1]:
        p = os.path.join(tmp, f"blob{n}")
        data = rng.integers(0, 256, n, dtype=np.uint8).tobytes()
        with open(p, "wb") as f:
            f.write(data)
        paths.append(p)
        want[p] = hashlib.sha256(data).hexdigest()
    r = cli("sha256", *paths)
    check(r.returncode == 0, f"sha256: {r}")
    got = dict(reversed(line.split("  ", 1)) for line in r.stdout.splitlines())
    for p in paths:
        check(got.get(p) == want[p], f"{p}: earshot {got.get(p)} != hashlib {want[p]}")


def test_same_verdicts(tmp, good):
    blob = open(good, "rb").read()
    data_offset = int.from_bytes(blob[56:64], "little")
    rng = np.random.default_rng(2024)
    p = os.path.join(tmp, "mutant.esm")
    refused = 0
    for i in range(150):
        b = bytearray(blob)
        for _ in range(int(rng.integers(1, 4))):
            b[int(rng.integers(0, data_offset))] = int(rng.integers(0, 256))
        b[-32:] = hashlib.sha256(bytes(b[:-32])).digest()
        with open(p, "wb") as f:
            f.write(b)
        try:
            em.read_model(p)
            python_ok = True
        except em.ModelError:
            python_ok = False
        r = cli("verify", p)
        check(r.returncode in (0, 1), f"mutant {i}: earshot exited {r.returncode}: {r.stderr}")
        check((r.returncode == 0) == python_ok,
              f"mutant {i}: Python {'accepts' if python_ok else 'refuses'}, earshot says "
              f"{r.stdout.strip() or r.stderr.strip()}")
        refused += not python_ok
    check(refused > 50, f"only {refused} of 150 mutants refused: the mutation is too weak")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        good = test_python_written_files(tmp)
        test_damaged_files(tmp, good)
        test_cpp_written_file(tmp)
        test_sha256(tmp)
        test_same_verdicts(tmp, good)
    print("model format cross-check: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
