"""The intent set earshot understands: Home Assistant's English sentences plus our additions.

Sentences come from the `home-assistant-intents` package (data/en.json, the merged form of the
repository's sentences/en/*.yaml). data/nlu/custom_sentences.yaml adds what a Home Assistant
user would add under config/custom_sentences/en/ (HassToggle has a handler but no sentences).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict

import yaml
from hassil import Intents
from hassil.util import merge_dict

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data" / "nlu"
CUSTOM_SENTENCES = DATA_DIR / "custom_sentences.yaml"
PARAPHRASES = DATA_DIR / "paraphrases.yaml"

# Intents of the home speaker. Opening/closing covers and locking are HassTurnOn/HassTurnOff
# with domain "cover"/"lock" in Home Assistant today (HassOpenCover/HassCloseCover are gone).
TARGET_INTENTS = [
    "HassTurnOn", "HassTurnOff", "HassToggle", "HassLightSet",
    "HassStartTimer", "HassCancelTimer", "HassCancelAllTimers", "HassPauseTimer",
    "HassUnpauseTimer", "HassIncreaseTimer", "HassDecreaseTimer", "HassTimerStatus",
    "HassGetCurrentTime", "HassGetCurrentDate", "HassGetWeather",
    "HassMediaPause", "HassMediaUnpause", "HassMediaNext", "HassMediaPrevious", "HassSetVolume",
    "HassClimateSetTemperature", "HassClimateGetTemperature",
    "HassShoppingListAddItem", "HassNevermind", "HassGetState",
]
NONE_INTENT = "none"
ALL_LABELS = TARGET_INTENTS + [NONE_INTENT]


def package_sentences_path() -> Path:
    """Where the installed home-assistant-intents keeps the English sentences."""
    import home_assistant_intents

    return Path(home_assistant_intents.__file__).parent / "data" / "en.json"


def load_intents_dict(with_paraphrases: bool = False) -> Dict[str, Any]:
    """Home Assistant's English intents (target ones only) merged with our custom sentences."""
    with open(package_sentences_path(), encoding="utf-8") as f:
        data = json.load(f)
    data["intents"] = {k: v for k, v in data["intents"].items() if k in TARGET_INTENTS}
    extra = [CUSTOM_SENTENCES] + ([PARAPHRASES] if with_paraphrases else [])
    for path in extra:
        with open(path, encoding="utf-8") as f:
            merge_dict(data, yaml.safe_load(f))
    return data


def load_intents(with_paraphrases: bool = False) -> Intents:
    """Parsed hassil Intents for the target set (what the peer recognizer uses)."""
    return Intents.from_dict(load_intents_dict(with_paraphrases))
