"""The peer: hassil's recognizer with Home Assistant's intents and our home, as Home Assistant
runs it today (the speaker is a satellite in home.speaker_area; like Home Assistant's default agent, a
match that names a device wins over one that does not). Returns earshot's output format.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

from hassil import recognize_best  # noqa: E402

from nlu.home import Home, home_slot_lists, speaker_context  # noqa: E402
from nlu.intents import NONE_INTENT, load_intents  # noqa: E402


class HassilPeer:
    def __init__(self, home: Home):
        self.intents = load_intents(with_paraphrases=False)
        self.slot_lists = home_slot_lists(home)
        self.context = speaker_context(home)

    def predict(self, text: str) -> Dict[str, Any]:
        result = recognize_best(text, self.intents, slot_lists=self.slot_lists,
                                intent_context=self.context, best_slot_name="name")
        if result is None:
            return {"text": text, "intent": NONE_INTENT, "slots": {}, "confidence": 1.0}
        from_context = {
            key for key, want in result.intent_data.requires_context.items()
            if isinstance(want, dict) and want.get("slot")
        }
        slots = {}
        for entity in result.entities_list:
            # The speaker's own area is context, not something the words said.
            if entity.name in from_context and not entity.text:
                continue
            slots[entity.name] = entity.value
        return {"text": text, "intent": result.intent.name, "slots": slots, "confidence": 1.0}
