"""Writer/reader round trip of the .esm format, and refusal of broken or hostile files
(tools/earshot_model.py, docs/model-format.md)."""

import hashlib
import os
import struct
import sys
import tempfile
import unittest

import numpy as np

import earshot_model as em

META = {"stage": "vad", "architecture": "test", "format_version": 1,
        "source": {"package": "p", "version": "1", "file": "f", "sha256": "0" * 64},
        "converter": "test 1"}


def tensors():
    rng = np.random.default_rng(1)
    return {"w": rng.standard_normal((3, 5)).astype(np.float32),
            "h": np.arange(7, dtype=np.float16), "q": np.arange(-4, 4, dtype=np.int8),
            "u": np.array([255], np.uint8), "s": np.array([[-3, 4]], np.int16),
            "i": np.array(-7, np.int32), "l": np.arange(6, dtype=np.int64).reshape(1, 2, 3),
            "e": np.zeros((0, 4), np.float32), "d6": np.ones((1, 1, 1, 1, 2, 1), np.int8)}


def rehash(blob: bytearray) -> bytearray:
    blob[-32:] = hashlib.sha256(blob[:-32]).digest()
    return blob


def field(blob, offset, fmt, value):
    struct.pack_into("<" + fmt, blob, offset, value)
    return rehash(blob)


class RoundTrip(unittest.TestCase):
    def test_round_trip(self):
        t = tensors()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "m.esm")
            size = em.write_model(path, META, t)
            self.assertEqual(size, os.path.getsize(path))
            m = em.read_model(path, expected_stage="vad")
            self.assertEqual(m.metadata, META)
            self.assertEqual(list(m.tensors), list(t))
            for name, a in t.items():
                self.assertEqual(m.tensors[name].dtype, a.dtype, name)
                self.assertEqual(m.tensors[name].shape, a.shape, name)
                np.testing.assert_array_equal(m.tensors[name], a)
            for info in m.infos:
                self.assertEqual(info.offset % 64, 0)
            self.assertFalse(m.tensors["w"].flags.writeable)

    def test_layout_matches_spec(self):
        blob = em.encode_model(META, tensors())
        magic, ver, hsize, fsize, moff, msize, toff, count, flags, doff = \
            struct.unpack_from("<8sIIQQQQIIQ", blob)
        self.assertEqual((magic, ver, hsize, moff, flags), (b"EARSHOT\0", 1, 64, 64, 0))
        self.assertEqual(fsize, len(blob))
        self.assertEqual(toff % 8, 0)
        self.assertEqual(doff % 64, 0)
        self.assertGreaterEqual(doff, toff + 168 * count)
        self.assertEqual(blob[-32:], hashlib.sha256(blob[:-32]).digest())

    def test_dequantized(self):
        w = np.array([[1.0, -0.5], [0.02, 0.01]], np.float32)
        q, s = em.quantize_per_channel_int8(w)
        m = em.decode_model(em.encode_model(META, {"w": q, "w.scale": s}))
        np.testing.assert_allclose(m.dequantized("w"), w, atol=float(s.max()) / 2)

    def test_writer_refuses_bad_models(self):
        with self.assertRaises(em.ModelError):
            em.encode_model(dict(META, stage="tts"), {})
        with self.assertRaises(em.ModelError):
            em.encode_model({k: v for k, v in META.items() if k != "source"}, {})
        with self.assertRaises(em.ModelError):
            em.encode_model(META, {"x" * 96: np.zeros(1, np.float32)})
        with self.assertRaises(em.ModelError):
            em.encode_model(META, {"b": np.zeros(1, bool)})
        with self.assertRaises(em.ModelError):
            em.encode_model(META, {"": np.zeros(1, np.float32)})


class Hostile(unittest.TestCase):
    def setUp(self):
        self.blob = bytearray(em.encode_model(META, tensors()))
        _, _, _, _, _, self.msize, self.toff, self.count, _, self.doff = \
            struct.unpack_from("<8sIIQQQQIIQ", self.blob)

    def refuse(self, blob, words, **kw):
        with self.assertRaises(em.ModelError) as ctx:
            em.decode_model(bytes(blob), "hostile.esm", **kw)
        msg = str(ctx.exception)
        self.assertIn("hostile.esm", msg)
        self.assertIn(words, msg)

    def entry(self, i):
        return self.toff + 168 * i

    def test_empty_and_truncated(self):
        self.refuse(b"", "smaller than header")
        self.refuse(self.blob[:95], "smaller than header")
        for cut in (96, len(self.blob) // 2, len(self.blob) - 1):
            self.refuse(self.blob[:cut], "truncated")
        self.refuse(self.blob + b"\0", "truncated")

    def test_header(self):
        self.refuse(field(self.blob[:], 0, "8s", b"EARSHOX\0"), "bad magic")
        self.refuse(field(self.blob[:], 8, "I", 2), "version 2")
        self.refuse(field(self.blob[:], 12, "I", 72), "header_size")
        self.refuse(field(self.blob[:], 24, "Q", 72), "meta_offset")
        self.refuse(field(self.blob[:], 32, "Q", 0), "meta_size is 0")
        self.refuse(field(self.blob[:], 32, "Q", 1 << 63), "past table_offset")
        self.refuse(field(self.blob[:], 40, "Q", self.toff + 4), "multiple of 8")
        self.refuse(field(self.blob[:], 48, "I", 65537), "tensor_count")
        self.refuse(field(self.blob[:], 48, "I", 0xFFFFFFFF), "tensor_count")
        self.refuse(field(self.blob[:], 52, "I", 1), "flags")
        self.refuse(field(self.blob[:], 56, "Q", self.doff + 8), "multiple of 64")
        self.refuse(field(self.blob[:], 56, "Q", 0), "overlaps the tensor table")
        self.refuse(field(self.blob[:], 56, "Q", (1 << 64) - 64), "past the end")

    def test_metadata(self):
        blob = self.blob[:]
        blob[64] = ord("[")
        self.refuse(rehash(blob), "not valid UTF-8 JSON")
        blob = self.blob[:]
        blob[65] = 0xFF
        self.refuse(rehash(blob), "not valid UTF-8 JSON")
        self.refuse(em.encode_model(META, {}), "expected 'kws'", expected_stage="kws")
        for key in ("stage", "architecture", "format_version", "source", "converter"):
            # Renaming the key keeps the sizes; the loader must see it missing.
            raw = bytearray(em.encode_model(META, {}))
            i = raw.find(f'"{key}"'.encode())
            raw[i + 1] = ord("X")
            self.refuse(rehash(raw), f"'{key}'")
        raw = bytearray(em.encode_model(META, {}))
        i = raw.find(b'"vad"')
        raw[i + 1:i + 4] = b"tts"
        self.refuse(rehash(raw), "stage 'tts'")

    def test_table_entries(self):
        e = self.entry(0)
        self.refuse(field(self.blob[:], e, "B", 0), "name is empty")
        b = self.blob[:]
        b[e:e + 96] = b"a" * 96
        self.refuse(rehash(b), "not NUL-terminated")
        b = self.blob[:]
        b[e + 3] = ord("z")  # "w\0\0z..." : junk after the terminator
        self.refuse(rehash(b), "not NUL-padded")
        b = self.blob[:]
        b[self.entry(1):self.entry(1) + 96] = b[e:e + 96]
        self.refuse(rehash(b), "appears twice")
        self.refuse(field(self.blob[:], e + 96, "I", 7), "unknown dtype")
        self.refuse(field(self.blob[:], e + 100, "I", 7), "ndim 7")
        self.refuse(field(self.blob[:], e + 104 + 8 * 3, "Q", 1), "past ndim")
        self.refuse(field(self.blob[:], e + 104, "Q", 4), "entry says")
        self.refuse(field(self.blob[:], e + 104, "Q", 1 << 62), "")
        b = field(self.blob[:], e + 104, "Q", 1 << 63)
        b = field(b, e + 112, "Q", 1 << 63)
        self.refuse(b, "overflows")
        self.refuse(field(self.blob[:], e + 152, "Q", self.doff + 4), "multiple of 64")
        self.refuse(field(self.blob[:], e + 152, "Q", self.doff - 64), "before data_offset")
        self.refuse(field(self.blob[:], e + 152, "Q", (len(self.blob) // 64 + 1) * 64), "runs past")
        self.refuse(field(self.blob[:], e + 152, "Q", (1 << 64) - 64), "runs past")
        off1 = struct.unpack_from("<Q", self.blob, self.entry(1) + 152)[0]
        self.refuse(field(self.blob[:], e + 152, "Q", off1), "overlap")

    def test_flipped_bytes(self):
        # Any single flipped byte is refused (by a field check or by the hash).
        for pos in range(0, len(self.blob), 7):
            b = self.blob[:]
            b[pos] ^= 0x40
            with self.assertRaises(em.ModelError, msg=f"byte {pos}"):
                em.decode_model(bytes(b), "flipped.esm")
        b = self.blob[:]
        b[-1] ^= 1
        self.refuse(b, "SHA-256")
        em.decode_model(bytes(b), "flipped.esm", verify=False)  # trailer only: skipped check

    def test_missing_file(self):
        with self.assertRaises(em.ModelError) as ctx:
            em.read_model("/nonexistent/x.esm")
        self.assertIn("/nonexistent/x.esm", str(ctx.exception))
        with tempfile.NamedTemporaryFile(suffix=".esm") as f:
            with self.assertRaises(em.ModelError) as ctx:
                em.read_model(f.name)
            self.assertIn("empty", str(ctx.exception))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=1)
