"""earshot's NLU model beside hassil: runs `earshot nlu` (one process, utterances on stdin) over
the held-out and hand-written sets, then scores it next to hassil in one table
(eval_hassil.py).

    python bench/eval_nlu/eval_model.py [--earshot build/bin/earshot] [--precision int8|f32]
        [--data DIR] [--keep predictions.jsonl] [--model FILE.esm]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import eval_hassil  # noqa: E402


def predict_all(earshot: str, texts, precision: str, model=None):
    start = time.perf_counter()
    cmd = [earshot, "nlu"] + (["--model", str(model)] if model else ["--precision", precision])
    proc = subprocess.run(cmd,
                          input="".join(t.replace("\n", " ") + "\n" for t in texts),
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"earshot nlu failed: {proc.stderr.strip()}")
    out = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    if len(out) != len(texts):
        raise RuntimeError(f"earshot nlu gave {len(out)} answers for {len(texts)} utterances")
    # The CLI echoes its input line; key predictions by the original text.
    for pred, text in zip(out, texts):
        pred["text"] = text
    return out, seconds


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--earshot", default=os.environ.get("EARSHOT_BIN", "build/bin/earshot"))
    ap.add_argument("--precision", choices=("int8", "f32"), default="int8")
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--keep", type=Path, help="also write the predictions here")
    ap.add_argument("--model", type=Path, help="an nlp .esm file instead of the committed one")
    args = ap.parse_args(argv)
    data = args.data or eval_hassil.generate.default_out()
    sets = eval_hassil.load_sets(data)
    texts = sorted({r["text"] for records in sets.values() for r in records})
    preds, seconds = predict_all(args.earshot, texts, args.precision, args.model)
    print(f"earshot nlu ({args.precision}): {len(texts)} utterances in {seconds:.2f} s "
          f"(one process, model load included)")
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "earshot.jsonl"
        path.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
        name = f"earshot-{args.precision}"
        # ms/utt for earshot: the whole CLI run (model load included) over the utterances.
        return eval_hassil.main(["--data", str(data), "--predictions", f"{name}={path}",
                                 "--timing", f"{name}={seconds * 1000.0 / len(texts):.4f}"])


if __name__ == "__main__":
    sys.exit(main())
