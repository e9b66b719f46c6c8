"""Scores for intent + slot predictions against labelled utterances.

A slot is the pair (slot name, normalised value): numbers compare as numbers (10 == "10" ==
10.0), text case- and punctuation-free. Exact match needs the right intent and the same slot
set. Predictions are dicts {"intent": .., "slots": {..}} in the order of the gold records, so
any system (hassil today, earshot's model later) is scored by the same function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Sequence, Set, Tuple

_PUNCT = re.compile(r"[^\w' ]+")


def normalize_value(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"{float(value):g}"
    try:
        return f"{float(str(value).strip().rstrip('%')):g}"
    except ValueError:
        return " ".join(_PUNCT.sub(" ", str(value).lower()).split())


def slot_pairs(slots: Dict[str, Any]) -> Set[Tuple[str, str]]:
    return {(name, normalize_value(v)) for name, v in (slots or {}).items()}


@dataclass
class Scores:
    n: int
    intent_accuracy: float
    slot_precision: float
    slot_recall: float
    slot_f1: float
    exact_match: float


def score(gold: Sequence[dict], predictions: Sequence[dict]) -> Scores:
    if len(gold) != len(predictions):
        raise ValueError(f"{len(predictions)} predictions for {len(gold)} utterances")
    n = len(gold)
    intent_ok = exact = tp = fp = fn = 0
    for g, p in zip(gold, predictions):
        gs, ps = slot_pairs(g.get("slots", {})), slot_pairs(p.get("slots", {}))
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)
        same_intent = g["intent"] == p.get("intent")
        intent_ok += same_intent
        exact += same_intent and gs == ps
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(n, intent_ok / max(n, 1), precision, recall, f1, exact / max(n, 1))


def format_table(rows: Iterable[Tuple[str, str, Scores, float]]) -> str:
    """rows: (set, system, scores, ms per utterance) -> a fixed-width table."""
    head = f"{'set':14s} {'system':14s} {'n':>5s} {'intent acc':>10s} {'slot P':>7s} " \
           f"{'slot R':>7s} {'slot F1':>7s} {'exact':>7s} {'ms/utt':>8s}"
    lines = [head, "-" * len(head)]
    for set_name, system, s, ms in rows:
        lines.append(f"{set_name:14s} {system:14s} {s.n:5d} {s.intent_accuracy:10.3f} "
                     f"{s.slot_precision:7.3f} {s.slot_recall:7.3f} {s.slot_f1:7.3f} "
                     f"{s.exact_match:7.3f} {ms:8.3f}")
    return "\n".join(lines)


def per_intent_errors(gold: Sequence[dict], predictions: Sequence[dict]) -> Dict[str, List[str]]:
    """Intent -> texts whose intent was missed (for looking at failures)."""
    out: Dict[str, List[str]] = {}
    for g, p in zip(gold, predictions):
        if g["intent"] != p.get("intent"):
            out.setdefault(g["intent"], []).append(f"{g['text']} -> {p.get('intent')}")
    return out
