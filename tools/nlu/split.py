"""Training / held-out split of templates and slot values, so that the held-out set holds only
sentence templates and open slot values (names, areas, floors, numbers, items, timer names)
that training never sees. Every choice is a pure function of the seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Dict, List, Sequence

import yaml
from hassil import Intents
from hassil.expression import Sentence
from hassil.intents import IntentData

from .expand import ValuePools
from .home import Entity, Home, slot_lists
from .intents import DATA_DIR

EXTRA_VALUES = DATA_DIR / "extra_values.yaml"
WILDCARD_LISTS = ("shopping_list_item", "timer_name", "timer_command")


@dataclass
class Template:
    id: str
    intent: str
    block: IntentData
    sentence: Sentence
    source: str  # "hass" (Home Assistant's sentences, incl. custom) or "paraphrase" (ours)

    def rules(self, intents: Intents) -> Dict[str, Sentence]:
        return {**intents.expansion_rules, **self.block.expansion_rules}


def collect_templates(intents: Intents, source: str) -> Dict[str, List[Template]]:
    out: Dict[str, List[Template]] = {}
    for name, intent in intents.intents.items():
        for b, block in enumerate(intent.data):
            for sentence in block.sentences:
                tid = f"{source}|{name}|{b}|{sentence.text}"
                out.setdefault(name, []).append(Template(tid, name, block, sentence, source))
    return out


def heldout_templates(templates: Dict[str, List[Template]], seed: int, fraction: float) -> set:
    """Ids of held-out templates: about `fraction` of each intent's, never all of them."""
    held = set()
    for intent in sorted(templates):
        ids = sorted(t.id for t in templates[intent])
        if len(ids) < 2:
            continue
        random.Random(f"{seed}:templates:{intent}").shuffle(ids)
        k = min(len(ids) - 1, max(1, round(len(ids) * fraction)))
        held.update(ids[:k])
    return held


def _pick(values: Sequence[str], seed: int, tag: str, fraction: float, at_least_one: bool) -> set:
    order = sorted(values)
    random.Random(f"{seed}:{tag}").shuffle(order)
    k = round(len(order) * fraction)
    if at_least_one and order:
        k = max(1, k)
    return set(order[:k])


@dataclass
class ValueSplit:
    train: ValuePools
    heldout: ValuePools
    heldout_values: Dict[str, List[Any]] = field(default_factory=dict)
    train_values: Dict[str, List[Any]] = field(default_factory=dict)


def split_values(home: Home, base_lists: Dict[str, Any], seed: int, fraction: float) -> ValueSplit:
    """Names (per domain), areas, floors, numbers and wildcard texts into train and held-out."""
    with open(EXTRA_VALUES, encoding="utf-8") as f:
        extra = yaml.safe_load(f)
    held_names = set()
    by_domain: Dict[str, List[str]] = {}
    for e in home.entities:
        by_domain.setdefault(e.domain, []).append(e.name)
    for domain, names in by_domain.items():
        # A domain with one device is held out only if training has other names for it.
        can_hold = len(names) > 1 or bool(extra["entities"].get(domain))
        held_names |= _pick(names, seed, f"names:{domain}", fraction, can_hold)
    held_areas = _pick(list(home.areas), seed, "areas", fraction, True)
    held_floors = _pick(home.floors, seed, "floors", fraction, True)

    extra_entities = [Entity(n, d) for d, names in extra["entities"].items() for n in names]
    train_entities = [e for e in home.entities if e.name not in held_names] + extra_entities
    held_entities = [e for e in home.entities if e.name in held_names]
    train_areas = [a for a in home.areas if a not in held_areas] + extra["areas"]
    train_floors = [f for f in home.floors if f not in held_floors] + extra["floors"]

    wild_train, wild_held = {}, {}
    for name in WILDCARD_LISTS:
        held = _pick(extra[name], seed, f"wild:{name}", fraction, True)
        wild_held[name] = sorted(held)
        # Training-only texts never reach the held-out side (which keeps its values as before).
        only = set(extra.get("train_only", {}).get(name) or []) - held
        wild_train[name] = sorted((set(extra[name]) - held) | only)

    def held_number(list_name: str, n: float) -> bool:
        return random.Random(f"{seed}:number:{list_name}:{n}").random() < fraction

    train = ValuePools(
        {**base_lists, **slot_lists(train_entities, train_areas, train_floors)},
        number_filter=lambda name, n: not held_number(name, n),
        wildcards=wild_train,
    )
    heldout = ValuePools(
        {**base_lists, **slot_lists(held_entities, sorted(held_areas), sorted(held_floors))},
        number_filter=held_number,
        wildcards=wild_held,
    )
    heldout_values = {
        "name": sorted(held_names), "area": sorted(held_areas), "floor": sorted(held_floors),
        **wild_held,
    }
    train_values = {
        "name": sorted(e.name for e in train_entities), "area": sorted(train_areas),
        "floor": sorted(train_floors), **wild_train,
    }
    return ValueSplit(train, heldout, heldout_values, train_values)
