"""Each converter refuses input it does not understand: a clear message naming the file and a
non-zero exit status, never a traceback or a model file."""

import os
import subprocess
import sys
import tempfile
import unittest

from convert.common import package_file

ONNX = package_file("faster-whisper", "faster_whisper", "assets/silero_vad_v6.onnx")
TFLITE = package_file("pymicro-wakeword", "pymicro_wakeword", "models/alexa.tflite")
MANIFEST = package_file("pymicro-wakeword", "pymicro_wakeword", "models/alexa.json")


def run(module, *args):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True,
                          env=env, timeout=120)


class Refuse(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.out = os.path.join(self.tmp.name, "out")

    def tearDown(self):
        self.tmp.cleanup()

    def check(self, proc, name):
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("error:", proc.stderr)
        self.assertIn(name, proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)
        self.assertFalse(os.path.isdir(self.out) and os.listdir(self.out))

    def write(self, name, data):
        path = os.path.join(self.tmp.name, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def test_silero_refuses_tflite_and_garbage(self):
        self.check(run("convert.silero_vad", "--out-dir", self.out, "--onnx", TFLITE), TFLITE)
        junk = self.write("junk.onnx", b"\x00" * 100)
        proc = run("convert.silero_vad", "--out-dir", self.out, "--onnx", junk)
        self.check(proc, junk)

    def test_wakeword_refuses_onnx_and_truncated(self):
        self.check(run("convert.micro_wakeword", "--out-dir", self.out, "--tflite", ONNX,
                       "--json", MANIFEST), ONNX)
        with open(TFLITE, "rb") as f:
            data = f.read()
        cut = self.write("cut.tflite", data[:len(data) // 3])
        self.check(run("convert.micro_wakeword", "--out-dir", self.out, "--tflite", cut,
                       "--json", MANIFEST), cut)
        bad_json = self.write("bad.json", b'{"type": "openwakeword"}')
        self.check(run("convert.micro_wakeword", "--out-dir", self.out, "--tflite", TFLITE,
                       "--json", bad_json), bad_json)

    def test_whisper_refuses_other_files(self):
        d = os.path.join(self.tmp.name, "m")
        os.makedirs(d)
        with open(ONNX, "rb") as f:
            self.write("m/model.bin", f.read())
        self.check(run("convert.whisper_ct2", "--out-dir", self.out, "--model-dir", d),
                   os.path.join(d, "model.bin"))
        self.write("m/model.bin", b"\x06\x00\x00\x00\x0c\x00WhisperSpec")
        self.check(run("convert.whisper_ct2", "--out-dir", self.out, "--model-dir", d),
                   "truncated")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=1)
