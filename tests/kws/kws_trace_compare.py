"""Compares kws_trace (earshot) with the TFLite tensors still intact after the same inference:
    python kws_trace_compare.py KEYWORD STEP   (goforward.raw; needs build-kwsstage/bin/kws_trace)"""
import ctypes, json, subprocess, sys, numpy as np
sys.path.insert(0, '/work/main/tests/kws'); sys.path.insert(0, '/work/main/tools')
import kws_tflite_ref as ref
from earshot_model import read_model
kw, step = sys.argv[1], int(sys.argv[2])
a = np.fromfile('/usr/share/pocketsphinx/test/data/goforward.raw', dtype='<i2')
f = ref.features(a)
m = ref.TfliteKws(kw)
q = m.quantize(f)[: (len(f)//3)*3].reshape(-1, 120)
q.tofile('/tmp/kws_in.bin')
lib = m.lib
lib.TfLiteInterpreterGetTensor.argtypes = [ctypes.c_void_p, ctypes.c_int32]; lib.TfLiteInterpreterGetTensor.restype = ctypes.c_void_p
lib.TfLiteTensorName.argtypes=[ctypes.c_void_p]; lib.TfLiteTensorName.restype=ctypes.c_char_p
outs=[]
for s in range(step+1):
    outs.append(m.step(q[s].reshape(1,3,40)))
meta = read_model(f'/root/.cache/earshot/models/kws-{kw}.esm').metadata['graph']
idx = {t['name']: t['index'] for t in meta['tensors']}
ours = subprocess.run(['/work/main/build-kwsstage/bin/kws_trace', f'/root/.cache/earshot/models/kws-{kw}.esm', '/tmp/kws_in.bin', str(step)], capture_output=True, text=True).stdout
for line in ours.splitlines():
    p = line.split(); op, name = p[0], p[1]; v = np.array([int(x) for x in p[2:]])
    t = lib.TfLiteInterpreterGetTensor(m.mww.interpreter, idx[name])
    n = lib.TfLiteTensorByteSize(t)
    buf = np.empty(n, np.uint8)
    lib.TfLiteTensorCopyToBuffer(t, buf.ctypes.data_as(ctypes.c_void_p), n)
    theirs = buf.view(np.int8).astype(int) if name != 'output' else buf.astype(int)
    if name == 'output': v = v & 255
    d = (theirs != v).sum() if len(theirs)==len(v) else -1
    print(op, name, len(v), 'diff', d, (v[:8], theirs[:8]) if d else '')
