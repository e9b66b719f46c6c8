"""Torch's time for one utterance (tokenize, encode every ensemble member, mean of their
probabilities, argmax decode) on the same model and sentences as nlu_bench, one thread: the peer
of bench/nlp/nlu_bench.cpp.

    PYTHONPATH=tools /usr/bin/python3 bench/nlp/torch_time.py [--checkpoint DIR]
        [--member DIR ...] [--runs 300]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from nlu.export import ensemble_probs, load  # noqa: E402

TEXTS = ["turn off the kitchen light", "set a timer for twenty five minutes",
         "what's the temperature in the bedroom", "could you please set the bedside lamp to 40%",
         "add peanut butter to my shopping list", "i already turned the tv off"]


def main() -> int:
    cache = Path(os.environ.get("EARSHOT_CACHE", Path.home() / ".cache" / "earshot"))
    ap = argparse.ArgumentParser()
    # Defaults: the committed ensemble as tools/nlu/train.sh leaves it in the cache.
    ap.add_argument("--checkpoint", type=Path, default=cache / "nlu" / "seed1234")
    ap.add_argument("--member", type=Path, action="append",
                    help="another ensemble member (as tools/nlu/export.py --member; default "
                         "the cache's seed1235)")
    ap.add_argument("--runs", type=int, default=300)
    args = ap.parse_args()
    torch.set_num_threads(1)
    members = args.member if args.member is not None else [cache / "nlu" / "seed1235"]
    _, model, sp = load(args.checkpoint)
    models = [model] + [load(m)[1] for m in members]
    with torch.inference_mode():
        def once(text):
            intent, tags, _ = ensemble_probs(models, torch.tensor([sp.encode(text)]))
            return intent.argmax(-1).item(), tags.argmax(-1).tolist()
        for t in TEXTS:
            once(t)
        start = time.perf_counter()
        for i in range(args.runs):
            once(TEXTS[i % len(TEXTS)])
        ms = (time.perf_counter() - start) * 1000 / args.runs
    print(f"torch {torch.__version__} f32, one thread, {len(models)} member(s): {ms:.3f} ms per "
          f"utterance")
    return 0


if __name__ == "__main__":
    sys.exit(main())
