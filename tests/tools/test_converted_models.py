"""Every converted model reads back with the expected tensors and metadata, and holds exactly
what its source holds: Silero VAD computes what onnxruntime computes on real speech, the
microWakeWord quantization parameters and weights equal what the TFLite runtime loads, Whisper's
f32 weights equal the CTranslate2 float16 values and the int8 ones are within half a step.

Uses the models in $EARSHOT_CACHE_DIR/models (made by tools/fetch_models.py); converts into a
temporary folder when they are not there."""

import ctypes
import os
import sys
import tempfile
import unittest

import numpy as np

import earshot_model as em
import fetch_models
from convert import micro_wakeword, silero_vad, whisper_ct2
from convert.common import package_file, read_bytes
from convert.ct2_model import read_ct2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from silero_reference import silero_forward  # noqa: E402

CACHE = os.environ.get("EARSHOT_CACHE_DIR", os.path.expanduser("~/.cache/earshot"))
SPEECH = os.environ.get("EARSHOT_SPEECH_DIR", "/usr/share/pocketsphinx/test/data")
_tmp = None


def models_dir() -> str:
    global _tmp
    d = os.path.join(CACHE, "models")
    names = [o for j in fetch_models.jobs(d) for o in j.outputs]
    if all(os.path.exists(os.path.join(d, n)) for n in names):
        return d
    _tmp = tempfile.TemporaryDirectory()
    print(f"models missing in {d}: converting into {_tmp.name}")
    fetch_models.main(["--cache", _tmp.name])
    return os.path.join(_tmp.name, "models")


MODELS = models_dir()


def load(name, stage):
    return em.read_model(os.path.join(MODELS, name), expected_stage=stage)


class Provenance(unittest.TestCase):
    def test_sources_match_installed_packages(self):
        for job in fetch_models.jobs(MODELS):
            path = package_file(job.package, job.module, job.relpath)
            for out in job.outputs:
                m = em.read_model(os.path.join(MODELS, out))
                self.assertEqual(m.metadata["source"]["sha256"], em.file_sha256(path), out)
                self.assertEqual(m.metadata["source"]["file"], f"{job.module}/{job.relpath}")
                self.assertEqual(m.metadata["converter"], job.converter)


class SileroVad(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import onnxruntime as ort
        pcm = np.fromfile(os.path.join(SPEECH, "goforward.raw"), np.int16)
        pcm = pcm.astype(np.float32) / 32768
        chunks, ctx = [], np.zeros(64, np.float32)
        for i in range(len(pcm) // 512):
            c = pcm[i * 512:(i + 1) * 512]
            chunks.append(np.concatenate([ctx, c]))
            ctx = c[-64:]
        cls.chunks = np.array(chunks)
        sess = ort.InferenceSession(package_file(silero_vad.PACKAGE, silero_vad.MODULE,
                                                 silero_vad.RELPATH))
        zero = np.zeros((1, 1, 128), np.float32)
        cls.ref = sess.run(None, {"input": cls.chunks, "h": zero, "c": zero})[0]

    def test_tensors_and_metadata(self):
        for q in ("f32", "int8"):
            m = load(f"silero-vad-v6.{q}.esm", "vad")
            g = m.metadata["graph"]
            self.assertEqual(m.metadata["architecture"], "silero-vad-v6")
            self.assertEqual((g["chunk_samples"], g["context_samples"]), (512, 64))
            self.assertEqual(g["state"]["shape"], [2, 1, 128])
            self.assertEqual(m.tensors["stft.basis"].shape, (258, 1, 256))
            self.assertEqual(m.tensors["decoder.lstm.weight_ih"].shape, (512, 128))
            self.assertEqual([layer["stride"] for layer in g["layers"][:4]], [1, 2, 2, 1])
        m8 = load("silero-vad-v6.int8.esm", "vad")
        self.assertEqual(m8.tensors["encoder.1.weight"].dtype, np.int8)
        self.assertEqual(m8.tensors["encoder.1.weight.scale"].shape, (64,))
        self.assertEqual(m8.tensors["stft.basis"].dtype, np.float32)

    def test_f32_computes_what_onnxruntime_computes(self):
        self.assertGreater((self.ref > 0.5).sum(), 10)  # the recording has speech
        self.assertGreater((self.ref < 0.5).sum(), 5)  # and silence
        p, _, _ = silero_forward(load("silero-vad-v6.f32.esm", "vad"), self.chunks)
        np.testing.assert_allclose(p, self.ref, atol=1e-5)

    def test_int8_stays_close(self):
        p, _, _ = silero_forward(load("silero-vad-v6.int8.esm", "vad"), self.chunks)
        self.assertLess(np.abs(p - self.ref).max(), 0.1)
        self.assertGreaterEqual(((p > 0.5) == (self.ref > 0.5)).mean(), 0.97)


class TfliteRuntime:
    """The TFLite C runtime shipped inside pymicro-wakeword, through ctypes."""

    class Quant(ctypes.Structure):
        _fields_ = [("scale", ctypes.c_float), ("zero_point", ctypes.c_int32)]

    def __init__(self, path):
        lib = ctypes.CDLL(package_file("pymicro-wakeword", "pymicro_wakeword",
                                       "lib/libtensorflowlite_c.so"))
        vp = ctypes.c_void_p
        for fn, res, args in [
            ("TfLiteModelCreateFromFile", vp, [ctypes.c_char_p]),
            ("TfLiteInterpreterCreate", vp, [vp, vp]),
            ("TfLiteInterpreterAllocateTensors", ctypes.c_int, [vp]),
            ("TfLiteInterpreterGetTensor", vp, [vp, ctypes.c_int]),
            ("TfLiteTensorName", ctypes.c_char_p, [vp]),
            ("TfLiteTensorQuantizationParams", self.Quant, [vp]),
            ("TfLiteTensorByteSize", ctypes.c_size_t, [vp]),
            ("TfLiteTensorData", vp, [vp]),
            ("TfLiteInterpreterDelete", None, [vp]),
            ("TfLiteModelDelete", None, [vp]),
        ]:
            getattr(lib, fn).restype = res
            getattr(lib, fn).argtypes = args
        self.lib = lib
        self.model = lib.TfLiteModelCreateFromFile(path.encode())
        self.interp = lib.TfLiteInterpreterCreate(self.model, None)
        assert self.model and self.interp and lib.TfLiteInterpreterAllocateTensors(self.interp) == 0

    def tensor(self, index):
        t = self.lib.TfLiteInterpreterGetTensor(self.interp, index)
        q = self.lib.TfLiteTensorQuantizationParams(t)
        size, data = self.lib.TfLiteTensorByteSize(t), self.lib.TfLiteTensorData(t)
        raw = ctypes.string_at(data, size) if data and size else b""
        return self.lib.TfLiteTensorName(t).decode(), q.scale, q.zero_point, raw

    def close(self):
        self.lib.TfLiteInterpreterDelete(self.interp)
        self.lib.TfLiteModelDelete(self.model)


class MicroWakeWord(unittest.TestCase):
    def test_models_match_tflite_runtime(self):
        for kw in micro_wakeword.BUILTIN_MODELS:
            with self.subTest(kw):
                m = load(f"kws-{kw}.esm", "kws")
                md = m.metadata
                manifest = read_bytes(package_file("pymicro-wakeword", "pymicro_wakeword",
                                                   f"models/{kw}.json"))
                import json
                manifest = json.loads(manifest)
                self.assertEqual(md["manifest"], manifest)
                self.assertEqual(md["probability_cutoff"], manifest["micro"]["probability_cutoff"])
                self.assertEqual(md["sliding_window_size"], manifest["micro"]["sliding_window_size"])
                self.assertEqual(md["input"]["shape"], [1, 3, 40])
                ops = [o["op"] for o in md["graph"]["ops"]]
                self.assertEqual(ops[-3:], ["FULLY_CONNECTED", "LOGISTIC", "QUANTIZE"])
                self.assertEqual(len(md["graph"]["variables"]), 6)
                rt = TfliteRuntime(package_file("pymicro-wakeword", "pymicro_wakeword",
                                                f"models/{kw}.tflite"))
                checked_q = checked_data = 0
                for entry in md["graph"]["tensors"]:
                    if entry["dtype"] == "resource":
                        continue
                    name, scale, zp, raw = rt.tensor(entry["index"])
                    self.assertEqual(name, entry["tflite_name"])
                    # The C API reports a single scale only for per-tensor quantization.
                    if entry["quantization"] and entry["quantization"]["channels"] == 1:
                        s = m.tensors[entry["name"] + ".scale"]
                        z = m.tensors[entry["name"] + ".zero_point"]
                        self.assertEqual(s.dtype, np.float32)
                        self.assertEqual(s[0], np.float32(scale), entry["name"])
                        self.assertEqual(int(z[0]), zp, entry["name"])
                        checked_q += 1
                    if entry["const"]:
                        self.assertEqual(m.tensors[entry["name"]].tobytes(), raw, entry["name"])
                        checked_data += 1
                rt.close()
                self.assertGreater(checked_q, 30)
                self.assertGreater(checked_data, 20)
                per_channel = [e for e in md["graph"]["tensors"]
                               if e["quantization"] and e["quantization"]["channels"] > 1]
                self.assertTrue(per_channel)
                for v in md["graph"]["variables"]:
                    init = m.tensors[v["init"]]
                    self.assertEqual(list(init.shape), v["shape"])
                    # States start at "zero": the quantized value of 0.0 is the zero point.
                    self.assertTrue((init == m.tensors[v["init"] + ".zero_point"][0]).all())


class Whisper(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        path = package_file(whisper_ct2.PACKAGE, whisper_ct2.MODULE, whisper_ct2.REL)
        cls.ct2 = read_ct2(read_bytes(path), path)
        cls.f32 = load("whisper-tiny.en.f32.esm", "asr")
        cls.i8 = load("whisper-tiny.en.int8.esm", "asr")

    def test_metadata(self):
        md = self.f32.metadata
        self.assertEqual(md["hparams"]["encoder_layers"], 4)
        self.assertEqual(md["hparams"]["decoder_layers"], 4)
        self.assertEqual(md["hparams"]["d_model"], 384)
        self.assertEqual(md["hparams"]["n_vocab"], 51864)
        self.assertEqual(md["special_tokens"]["endoftext"], 50256)
        self.assertEqual(md["special_tokens"]["notimestamps"], 50362)
        self.assertEqual(md["special_tokens"]["timestamp_begin"], 50363)
        self.assertIn("suppress_ids", md["config"])
        self.assertEqual(md["aliases"], {"decoder.projection.weight": "decoder.embeddings.weight"})

    def test_f32_is_exactly_the_source(self):
        n = 0
        for name, v in self.ct2.variables.items():
            if v.ndim == 0:
                continue
            t = self.f32.tensors[name.replace("/", ".")]
            self.assertEqual(t.dtype, np.float32)
            np.testing.assert_array_equal(t, v.astype(np.float32), name)
            n += 1
        self.assertGreater(n, 100)

    def test_int8_within_half_a_step(self):
        quantized = self.i8.metadata["quantized_tensors"]
        self.assertIn("encoder.layer_0.self_attention.linear_0.weight", quantized)
        self.assertIn("decoder.projection.weight", quantized)
        for name in quantized:
            ref = self.f32.tensors[name if name in self.f32.tensors else
                                   "decoder.embeddings.weight"]
            self.assertEqual(self.i8.tensors[name].dtype, np.int8)
            scale = self.i8.tensors[name + ".scale"]
            err = np.abs(self.i8.dequantized(name) - ref)
            bound = scale[:, None] * (0.5 + 1e-5)
            self.assertTrue((err <= bound).all(), name)
        self.assertEqual(self.i8.tensors["decoder.embeddings.weight"].dtype, np.float32)
        self.assertEqual(self.i8.tensors["encoder.layer_0.ffn.layer_norm.gamma"].dtype, np.float32)

    def test_vocabulary_decodes_like_the_tokenizer(self):
        from tokenizers import Tokenizer
        d = os.path.dirname(package_file(whisper_ct2.PACKAGE, whisper_ct2.MODULE, whisper_ct2.REL))
        tok = Tokenizer.from_file(os.path.join(d, "tokenizer.json"))
        text = "Hello world, it's 3.5 degrees in Zürich — isn't it?"
        ids = tok.encode(text, add_special_tokens=False).ids
        b, o = self.f32.tensors["tokenizer.bytes"], self.f32.tensors["tokenizer.byte_offsets"]
        out = b"".join(bytes(b[o[i]:o[i + 1]]) for i in ids).decode("utf-8")
        self.assertEqual(out, tok.decode(ids))
        t, to = self.f32.tensors["tokenizer.tokens"], self.f32.tensors["tokenizer.token_offsets"]
        with open(os.path.join(d, "vocabulary.txt"), encoding="utf-8") as f:
            vocab = f.read().split("\n")
        for i in (0, 220, 50256, 50362, 51863):
            self.assertEqual(bytes(t[to[i]:to[i + 1]]).decode("utf-8"), vocab[i])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=1)
