"""Generate labelled NLU examples (text, intent, slots, word BIO tags) for earshot's home speaker.

Home Assistant's English sentence templates (home-assistant-intents) are expanded with random
choices for the target intents and the default home; our paraphrases add training phrasings;
a `none` class holds speech that is not a command. Templates and open slot values are split so
that heldout.jsonl has only templates and values unseen in train.jsonl. Text is made to look
like recogniser output (see asr_style). Same seed, same files.

    python -m nlu.generate [--out DIR] [--seed 1234] [--train-per-intent 600] ...

Writes train.jsonl, heldout.jsonl, heldout_clean.jsonl (same held-out templates and values,
no recognition noise), split.json (held-out template ids and values) and
counts.json into DIR (default $EARSHOT_CACHE/nlu, i.e. ~/.cache/earshot/nlu).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, Iterator, List, Optional

from hassil import Intents

from . import asr_style
from .expand import Expander, Piece, SkipTemplate, ValuePools, join_pieces
from .home import DEFAULT_HOME, load_home
from .intents import NONE_INTENT, TARGET_INTENTS, load_intents
from .none_class import none_sentence, split_patterns
from .split import Template, collect_templates, heldout_templates, split_values
from .words import bio_tags

DEFAULT_SEED = 1234
SETS = ("train", "heldout", "heldout_clean")
_NORM = re.compile(r"[^\w' ]+")


def normalize_text(text: str) -> str:
    """Case- and punctuation-free form used for de-duplication and overlap checks."""
    return " ".join(_NORM.sub(" ", text.lower()).split())


def make_record(rng: random.Random, template: Template, intents: Intents, pools: ValuePools,
                noise_p: float) -> dict:
    style = asr_style.pick_style(rng)
    expander = Expander(rng, pools, template.rules(intents),
                        asr_style.number_style(rng, style), template.block.requires_context)
    exp = expander.expand(template.sentence, template.block.slot_lists)
    if "name" not in exp.slots and _names_a_device(exp.pieces, pools):
        # "turn off the kitchen light" from an area template: Home Assistant reads it as the
        # device "kitchen light", so the area label would contradict it.
        raise SkipTemplate("text names a device without a name slot")
    pieces = exp.pieces
    if rng.random() < noise_p:
        pieces = asr_style.add_noise(rng, pieces)
    return _record(rng, pieces, style, template.intent, {**template.block.slots, **exp.slots},
                   template.id)


def _names_a_device(pieces: List[Piece], pools: ValuePools) -> bool:
    text = f" {normalize_text(''.join(p.text for p in pieces))} "
    names = pools.slot_lists["name"].values  # type: ignore[attr-defined]
    return any(f" {v.value_out} " in text for v in names)


def make_none_record(rng: random.Random, patterns: List[str], noise_p: float) -> dict:
    style = asr_style.pick_style(rng)
    pieces = [Piece(none_sentence(rng, patterns))]
    if rng.random() < noise_p:
        pieces = asr_style.add_noise(rng, pieces)
    return _record(rng, pieces, style, NONE_INTENT, {}, "none")


def _record(rng, pieces, style, intent, slots, template_id) -> dict:
    pieces = asr_style.apply_style(rng, pieces, style)
    text, spans = join_pieces(pieces)
    words, tags = bio_tags(text, spans)
    return {
        "text": text, "intent": intent, "slots": slots, "words": words, "tags": tags,
        "slot_text": {slot: text[s:e] for slot, s, e in spans}, "template": template_id,
    }


def _viable(template: Template, intents: Intents, pools: ValuePools, seed: int) -> bool:
    rng = random.Random(f"{seed}:viable:{template.id}")
    for _ in range(8):
        try:
            Expander(rng, pools, template.rules(intents), str, template.block.requires_context
                     ).expand(template.sentence, template.block.slot_lists)
            return True
        except SkipTemplate:
            continue
    return False


def _intent_quota(per_intent: int, n_templates: int) -> int:
    """More examples for intents with many templates (sqrt), between 1x and 3x the base."""
    return int(per_intent * min(3.0, max(1.0, math.sqrt(n_templates / 8.0))))


def _fill(rng, count, make, seen: set, exclude: set) -> Iterator[dict]:
    made, attempts = 0, 0
    while made < count and attempts < count * 8:
        attempts += 1
        try:
            rec = make()
        except SkipTemplate:
            continue
        key = normalize_text(rec["text"])
        if not key or key in seen or key in exclude:
            continue
        seen.add(key)
        made += 1
        yield rec


def generate(seed: int = DEFAULT_SEED, train_per_intent: int = 600, heldout_per_intent: int = 80,
             none_train: int = 4000, none_heldout: int = 300, heldout_fraction: float = 0.25,
             noise_p: float = 0.5, home_path: Path = DEFAULT_HOME,
             intents_subset: Optional[List[str]] = None) -> Dict[str, object]:
    home = load_home(home_path)
    hass = load_intents(with_paraphrases=False)
    para = load_intents(with_paraphrases=True)
    # Our paraphrase file only: templates in `para` that are not in `hass`.
    hass_tpl = collect_templates(hass, "hass")
    para_all = collect_templates(para, "paraphrase")
    hass_texts = {(t.intent, t.sentence.text) for ts in hass_tpl.values() for t in ts}
    para_tpl = {k: [t for t in v if (t.intent, t.sentence.text) not in hass_texts]
                for k, v in para_all.items()}

    values = split_values(home, dict(hass.slot_lists), seed, heldout_fraction)
    viable_hass = {k: [t for t in v if _viable(t, hass, values.train, seed)]
                   for k, v in hass_tpl.items()}
    held_ids = heldout_templates(viable_hass, seed, heldout_fraction)

    intents = intents_subset or TARGET_INTENTS
    train: List[dict] = []
    seen_train: set = set()
    for intent in intents:
        rng = random.Random(f"{seed}:train:{intent}")
        pool = [t for t in viable_hass.get(intent, []) if t.id not in held_ids]
        pool += [t for t in para_tpl.get(intent, []) if _viable(t, para, values.train, seed)]
        quota = _intent_quota(train_per_intent, len(pool))
        train += _fill(rng, quota, lambda: make_record(rng, rng.choice(pool), para, values.train,
                                                        noise_p), seen_train, set())
    patterns = split_patterns(seed)
    rng = random.Random(f"{seed}:train:none")
    train += _fill(rng, none_train, lambda: make_none_record(rng, patterns["train"], noise_p),
                   seen_train, set())

    held_pools = {intent: [t for t in viable_hass.get(intent, []) if t.id in held_ids
                           and _viable(t, hass, values.heldout, seed)] for intent in intents}

    def heldout_set(tag: str, noise: float) -> List[dict]:
        out: List[dict] = []
        seen: set = set()
        for intent in intents:
            rng = random.Random(f"{seed}:{tag}:{intent}")
            pool = held_pools[intent]
            if pool:
                out.extend(_fill(rng, heldout_per_intent, lambda: make_record(
                    rng, rng.choice(pool), hass, values.heldout, noise), seen, seen_train))
        rng = random.Random(f"{seed}:{tag}:none")
        out.extend(_fill(rng, none_heldout, lambda: make_none_record(
            rng, patterns["heldout"], noise), seen, seen_train))
        return out

    heldout = heldout_set("heldout", noise_p)
    # The same held-out templates and values without recognition noise (case/numbers still vary).
    heldout_clean = heldout_set("heldout-clean", 0.0)

    random.Random(f"{seed}:shuffle").shuffle(train)
    split = {
        "seed": seed, "heldout_fraction": heldout_fraction,
        "heldout_templates": sorted(held_ids),
        "heldout_none_patterns": sorted(patterns["heldout"]),
        "heldout_values": values.heldout_values, "train_values": values.train_values,
    }
    return {"train": train, "heldout": heldout, "heldout_clean": heldout_clean, "split": split}


def write_jsonl(path: Path, records: List[dict]) -> str:
    data = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
    path.write_text(data, encoding="utf-8")
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def default_out() -> Path:
    cache = os.environ.get("EARSHOT_CACHE") or os.environ.get("EARSHOT_CACHE_DIR")
    return Path(cache or Path.home() / ".cache" / "earshot") / "nlu"


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=default_out())
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--home", type=Path, default=DEFAULT_HOME)
    ap.add_argument("--train-per-intent", type=int, default=600)
    ap.add_argument("--heldout-per-intent", type=int, default=80)
    ap.add_argument("--none-train", type=int, default=4000)
    ap.add_argument("--none-heldout", type=int, default=300)
    ap.add_argument("--heldout-fraction", type=float, default=0.25)
    ap.add_argument("--noise", type=float, default=0.5, help="share of examples with ASR noise")
    ap.add_argument("--intents", nargs="*", help="only these intents (for quick checks)")
    args = ap.parse_args(argv)
    if not 0.0 < args.heldout_fraction < 1.0:
        ap.error("--heldout-fraction must be between 0 and 1")
    if min(args.train_per_intent, args.heldout_per_intent, args.none_train, args.none_heldout) < 0:
        ap.error("counts must not be negative")
    unknown = set(args.intents or []) - set(TARGET_INTENTS)
    if unknown:
        ap.error(f"unknown intents: {sorted(unknown)}")
    try:
        data = generate(args.seed, args.train_per_intent, args.heldout_per_intent, args.none_train,
                        args.none_heldout, args.heldout_fraction, args.noise, args.home,
                        args.intents)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    hashes = {name: write_jsonl(args.out / f"{name}.jsonl", data[name])
              for name in SETS}
    (args.out / "split.json").write_text(json.dumps(data["split"], indent=1, sort_keys=True))
    counts = {name: dict(sorted(Counter(r["intent"] for r in data[name]).items()))
              for name in SETS}
    (args.out / "counts.json").write_text(json.dumps({"counts": counts, "sha256": hashes},
                                                     indent=1, sort_keys=True))
    for name in SETS:
        print(f"{name}: {len(data[name])} examples -> {args.out / (name + '.jsonl')}")
        for intent, n in counts[name].items():
            print(f"  {intent:28s} {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
