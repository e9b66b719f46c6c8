"""Slot value normalisation shared by training/export and mirrored by nlp/slot_normalizer.cpp.

Numbers are read from digits ("26", "19.5", "80%") or English words ("twenty-six", "nineteen
point five", "one thousand one hundred"). Everything a number reader cannot produce ("half" ->
30 minutes, "warm white" -> 2700, "shades" -> "shade") comes from a lexicon learnt from the
labelled training data: (slot, spoken text) -> Home Assistant's value, exported into the model's
metadata so that the C++ side needs no copy of the rules.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Dict, Iterable, Optional, Union

NUMERIC_SLOTS = ("hours", "minutes", "seconds", "start_hours", "start_minutes", "start_seconds",
                 "brightness", "volume_level", "temperature")

# Slots whose values come from Home Assistant's closed lists: a word outside the values the
# training labels hold is not one of them (exported as "closed_values").
CLOSED_SLOTS = ("color", "device_class", "state")

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_SCALES = {"hundred": 100, "thousand": 1000}
_TOKEN = re.compile(r"[a-z]+|\d+(?:\.\d+)?")

Number = Union[int, float]


def normalize_text(text: str) -> str:
    """Lower case, punctuation to spaces except inner apostrophes, single spaces."""
    return " ".join(re.sub(r"[^\w' ]+", " ", text.lower()).split())


def parse_number(text: str) -> Optional[Number]:
    """The number a span says, or None. Same rules as nlp/number_words.cpp."""
    tokens = _TOKEN.findall(text.lower().replace(",", ""))
    tokens = [t for t in tokens if t not in ("and", "a", "percent", "degrees", "degree")]
    if not tokens:
        return None
    if len(tokens) == 1 and tokens[0][0].isdigit():
        value = float(tokens[0])
        return int(value) if value.is_integer() else value
    total, current, seen = 0, 0, False
    fraction: Optional[str] = None
    for tok in tokens:
        if fraction is not None:
            if tok in _UNITS and _UNITS[tok] < 10:
                fraction += str(_UNITS[tok])
                continue
            return None
        if tok in _UNITS:
            current += _UNITS[tok]
        elif tok in _TENS:
            current += _TENS[tok]
        elif tok == "hundred":
            current = max(current, 1) * 100
        elif tok == "thousand":
            total += max(current, 1) * 1000
            current = 0
        elif tok == "point" and seen:
            fraction = ""
            continue
        else:
            return None
        seen = True
    if not seen:
        return None
    whole = total + current
    if fraction:
        return float(f"{whole}.{fraction}")
    return whole


def build_lexicon(records: Iterable[dict]) -> Dict[str, Dict[str, object]]:
    """slot -> {normalised spoken text: value} for values a number reader or the text itself
    does not give (the most frequent value where the data disagrees)."""
    seen: Dict[str, Dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for r in records:
        for slot, text in r.get("slot_text", {}).items():
            if slot not in r["slots"]:
                continue
            value = r["slots"][slot]
            key = normalize_text(text)
            if slot in NUMERIC_SLOTS and parse_number(text) == value:
                continue
            if slot not in NUMERIC_SLOTS and normalize_text(str(value)) == key:
                continue
            seen[slot][key][_json_value(value)] += 1
    return {slot: {k: c.most_common(1)[0][0] for k, c in sorted(texts.items())}
            for slot, texts in sorted(seen.items())}


def closed_values(records: Iterable[dict]) -> Dict[str, list]:
    """slot -> every value the labels give it, for the CLOSED_SLOTS."""
    seen: Dict[str, set] = defaultdict(set)
    for r in records:
        for slot in CLOSED_SLOTS:
            if slot in r["slots"]:
                seen[slot].add(str(r["slots"][slot]))
    return {slot: sorted(values) for slot, values in sorted(seen.items())}


def intent_slots(records: Iterable[dict]) -> Dict[str, list]:
    """intent -> the slots its training labels ever give it (Home Assistant's slot schema as the
    templates use it): the C++ stage drops a slot its intent never takes."""
    seen: Dict[str, set] = defaultdict(set)
    for r in records:
        seen[r["intent"]].update(r["slots"])
    return {intent: sorted(slots) for intent, slots in sorted(seen.items())}


def intent_domains(records: Iterable[dict], name_domains: Dict[str, str]) -> Dict[str, list]:
    """intent -> the domains of the devices its training sentences name (a climate device is
    never the name of a HassLightSet): the C++ stage reads "set the thermostat to 60" as the
    best intent that takes the named device's domain."""
    seen: Dict[str, set] = defaultdict(set)
    for r in records:
        name = r["slots"].get("name")
        if isinstance(name, str) and name in name_domains:
            seen[r["intent"]].add(name_domains[name])
    return {intent: sorted(domains) for intent, domains in sorted(seen.items())}


def _json_value(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
