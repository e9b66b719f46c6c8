"""The home a speaker knows, turned into hassil slot lists the way Home Assistant builds them.

Home Assistant's conversation agent gives hassil a `name` list (entity names, each with the
context {"domain": ..., "device_class": ...} that `requires_context` checks), an `area` list and
a `floor` list; it passes the satellite's own area as intent context so that sentences without
an area ("turn on the lights") apply to the room the speaker stands in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import yaml
from hassil.intents import SlotList, TextSlotList

from .intents import DATA_DIR

DEFAULT_HOME = DATA_DIR / "home.yaml"
DEFAULT_SPEAKER_AREA = "living room"


@dataclass(frozen=True)
class Entity:
    name: str
    domain: str
    area: Optional[str] = None
    device_class: Optional[str] = None

    @property
    def context(self) -> Dict[str, Any]:
        ctx: Dict[str, Any] = {"domain": self.domain}
        if self.device_class:
            ctx["device_class"] = self.device_class
        return ctx


@dataclass
class Home:
    floors: List[str]
    areas: Dict[str, Optional[str]]  # area -> floor
    entities: List[Entity]
    speaker_area: Optional[str] = DEFAULT_SPEAKER_AREA
    source: str = ""
    features: Dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> List[str]:
        return [e.name for e in self.entities]


class HomeError(ValueError):
    pass


def load_home(path: Path = DEFAULT_HOME, speaker_area: Optional[str] = DEFAULT_SPEAKER_AREA) -> Home:
    """Reads a home.yaml (floors, areas, entities by domain); raises HomeError naming the file."""
    try:
        with open(path, encoding="utf-8") as f:
            raw = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as exc:
        raise HomeError(f"{path}: cannot read home: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("entities"), dict):
        raise HomeError(f"{path}: expected a mapping with 'entities' by domain")
    floors = [str(x) for x in raw.get("floors") or []]
    areas: Dict[str, Optional[str]] = {}
    for item in raw.get("areas") or []:
        if not isinstance(item, dict) or "name" not in item:
            raise HomeError(f"{path}: area entries need a 'name': {item!r}")
        areas[str(item["name"])] = item.get("floor")
    entities = []
    for domain, items in raw["entities"].items():
        for item in items or []:
            if not isinstance(item, dict) or "name" not in item:
                raise HomeError(f"{path}: {domain} entries need a 'name': {item!r}")
            area = item.get("area")
            if area is not None and area not in areas:
                raise HomeError(f"{path}: entity {item['name']!r} is in unknown area {area!r}")
            entities.append(Entity(str(item["name"]), str(domain), area, item.get("device_class")))
    if speaker_area is not None and speaker_area not in areas:
        raise HomeError(f"{path}: speaker area {speaker_area!r} is not an area of the home")
    features = {k: v for k, v in raw.items() if k not in ("floors", "areas", "entities", "language")}
    return Home(floors, areas, entities, speaker_area, str(path), features)


def slot_lists(
    entities: Iterable[Entity], areas: Iterable[str], floors: Iterable[str]
) -> Dict[str, SlotList]:
    """The name/area/floor lists Home Assistant hands to hassil (value out = the spoken name)."""
    return {
        "name": TextSlotList.from_tuples(
            [(e.name, e.name, e.context) for e in entities], allow_template=False, name="name"
        ),
        "area": TextSlotList.from_tuples(
            [(a, a) for a in areas], allow_template=False, name="area"
        ),
        "floor": TextSlotList.from_tuples(
            [(f, f) for f in floors], allow_template=False, name="floor"
        ),
    }


def home_slot_lists(home: Home) -> Dict[str, SlotList]:
    return slot_lists(home.entities, home.areas, home.floors)


def speaker_context(home: Home) -> Dict[str, Any]:
    """Intent context of a speaker placed in an area (as a Home Assistant satellite)."""
    if not home.speaker_area:
        return {}
    # text "" marks the slot as coming from context, not from the words (see context_slots).
    return {"area": {"value": home.speaker_area, "text": ""}}
