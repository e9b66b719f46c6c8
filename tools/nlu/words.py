"""Word split of an utterance and word-level BIO slot tags.

A word is a run of letters/digits (with inner apostrophes or decimal points: "what's", "21.5");
every other non-space character is a word of its own ("50%" -> "50", "%"), so slot values always
start and end on word boundaries.
"""

from __future__ import annotations

import re
from typing import Dict, List, Sequence, Tuple

WORD_RE = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*|[^\s]", re.UNICODE)


def split_words(text: str) -> List[Tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in WORD_RE.finditer(text)]


def bio_tags(text: str, spans: Sequence[Tuple[str, int, int]]) -> Tuple[List[str], List[str]]:
    """Words of text and their tags (B-slot, I-slot, O) for character spans (slot, start, end)."""
    words = split_words(text)
    tags = ["O"] * len(words)
    for slot, start, end in spans:
        inside = [i for i, (_, ws, we) in enumerate(words) if ws >= start and we <= end]
        for k, i in enumerate(inside):
            tags[i] = ("B-" if k == 0 else "I-") + slot
    return [w for w, _, _ in words], tags


def tagged_slot_text(words: Sequence[str], tags: Sequence[str]) -> Dict[str, List[str]]:
    """Slot -> list of word sequences (joined by spaces) tagged with that slot."""
    out: Dict[str, List[str]] = {}
    current = None
    for word, tag in zip(words, tags):
        if tag.startswith("B-"):
            current = tag[2:]
            out.setdefault(current, []).append(word)
        elif tag.startswith("I-") and current == tag[2:]:
            out[current][-1] += " " + word
        else:
            current = None
    return out
