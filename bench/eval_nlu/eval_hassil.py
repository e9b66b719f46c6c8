"""NLU evaluation: held-out template expansions and hand-written commands, scored for intent
accuracy, slot F1 and exact match, with hassil (what Home Assistant does today) as the peer.

    python bench/eval_nlu/eval_hassil.py [--data DIR] [--predictions NAME=FILE.jsonl ...]

--predictions adds a system's column: a JSONL of {"text", "intent", "slots"} per utterance of
both sets (matched by text), e.g. earshot's model output. The held-out set is generated into
DIR (default $EARSHOT_CACHE/nlu) when missing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "tools"))

from hassil_peer import HassilPeer  # noqa: E402
from metrics import Scores, format_table, per_intent_errors, score  # noqa: E402

from nlu import generate  # noqa: E402
from nlu.home import DEFAULT_HOME, load_home  # noqa: E402
from nlu.intents import DATA_DIR  # noqa: E402

HANDWRITTEN = DATA_DIR / "handwritten.jsonl"


def read_jsonl(path: Path) -> List[dict]:
    records = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{lineno}: bad JSON: {exc}") from exc
    return records


def load_sets(data_dir: Path) -> Dict[str, List[dict]]:
    heldout = data_dir / "heldout.jsonl"
    if not heldout.exists() or not (data_dir / "heldout_clean.jsonl").exists():
        generate.main(["--out", str(data_dir)])
    handwritten = read_jsonl(HANDWRITTEN)
    sets = {"heldout": read_jsonl(heldout),
            "heldout_clean": read_jsonl(data_dir / "heldout_clean.jsonl"),
            "handwritten": handwritten}
    train = data_dir / "train.jsonl"
    if train.exists():
        # Common short commands ("what time is it") occur verbatim in training; a model's score
        # on the rest says how it does on phrasings it never saw.
        seen = {generate.normalize_text(r["text"]) for r in read_jsonl(train)}
        sets["hw_unseen"] = [r for r in handwritten
                             if generate.normalize_text(r["text"]) not in seen]
    return sets


def run_system(predict: Callable[[str], dict], records: List[dict]) -> Tuple[List[dict], float]:
    start = time.perf_counter()
    preds = [predict(r["text"]) for r in records]
    ms = (time.perf_counter() - start) * 1000.0 / max(len(records), 1)
    return preds, ms


def file_system(path: Path) -> Callable[[str], dict]:
    by_text = {r["text"]: r for r in read_jsonl(path)}

    def predict(text: str) -> dict:
        if text not in by_text:
            raise KeyError(f"{path}: no prediction for {text!r}")
        return by_text[text]

    return predict


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=generate.default_out())
    ap.add_argument("--home", type=Path, default=DEFAULT_HOME)
    ap.add_argument("--predictions", nargs="*", default=[], metavar="NAME=FILE")
    ap.add_argument("--timing", nargs="*", default=[], metavar="NAME=MS",
                    help="ms per utterance measured where a --predictions file was made (the "
                         "column would otherwise time reading the file)")
    ap.add_argument("--errors", action="store_true", help="print hassil's missed intents")
    args = ap.parse_args(argv)
    systems: Dict[str, Callable[[str], dict]] = {"hassil": HassilPeer(load_home(args.home)).predict}
    for spec in args.predictions:
        name, _, path = spec.partition("=")
        if not path:
            ap.error(f"--predictions wants NAME=FILE, got {spec!r}")
        systems[name] = file_system(Path(path))
    timing = {}
    for spec in args.timing:
        name, _, ms = spec.partition("=")
        timing[name] = float(ms)
    rows: List[Tuple[str, str, Scores, float]] = []
    for set_name, records in load_sets(args.data).items():
        for system, predict in systems.items():
            preds, ms = run_system(predict, records)
            rows.append((set_name, system, score(records, preds), timing.get(system, ms)))
            if args.errors and system == "hassil":
                for intent, texts in per_intent_errors(records, preds).items():
                    print(f"[{set_name}] {intent}: {len(texts)} missed, e.g. {texts[:3]}")
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
