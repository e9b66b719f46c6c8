"""Make template text look like what a speech recogniser writes, keeping slot labels intact.

Styles: "asr" (lower case, no punctuation, as streaming recognisers write), "cased" (sentence
case and final punctuation, as Whisper writes), "upper". Noise touches only words outside slots:
fillers and politeness around the command, dropped articles, and homophone/near-miss swaps that
recognisers make; numbers are rendered as digits or words before expansion (see number_style).
"""

from __future__ import annotations

import random
from functools import partial
from typing import List

from .expand import NumberRenderer, Piece, number_digits, number_words

PREFIXES = ["please", "hey", "okay", "ok so", "can you", "could you", "would you", "could you please",
            "can you please", "uh", "um", "so", "right", "yeah", "hey there", "i want you to",
            "i'd like you to", "go ahead and", "just", "quickly"]
SUFFIXES = ["please", "thanks", "thank you", "for me", "now", "right now", "please thanks",
            "if you can", "would you", "ok"]
FILLERS = ["um", "uh", "er", "like", "uhm", "you know"]
DROPPABLE = {"the", "a", "my", "please", "to", "of", "in", "is"}
# Word -> what a recogniser may write instead (same sound or a near miss).
CONFUSIONS = {
    "to": ["two", "too"], "for": ["four"], "the": ["a", "de"], "off": ["of"], "on": ["an"],
    "what's": ["whats", "what is"], "it's": ["its"], "weather": ["whether"], "right": ["write"],
    "hour": ["our"], "hours": ["ours"], "minutes": ["minute"], "seconds": ["second"],
    "lights": ["light", "lites"], "timer": ["time"], "turn": ["turned", "tern"],
    "set": ["said"], "there": ["their"], "be": ["bee"], "i": ["eye"], "in": ["and"],
    "switch": ["which"], "volume": ["volumes"], "temperature": ["temperatures"],
    "pause": ["paws", "pose"], "next": ["necks"], "shopping": ["chopping"],
}
QUESTION_STARTS = ("what", "how", "is", "are", "which", "when", "who", "where", "do", "does",
                   "can", "could", "would", "will", "did", "any", "has", "have")


def pick_style(rng: random.Random) -> str:
    r = rng.random()
    return "asr" if r < 0.55 else ("cased" if r < 0.95 else "upper")


def number_style(rng: random.Random, style: str) -> NumberRenderer:
    """Recognisers with formatting write digits mostly; plain ones spell numbers out."""
    digits_p = 0.8 if style == "cased" else 0.3
    if rng.random() < digits_p:
        return number_digits
    return partial(number_words, hyphen=rng.random() < 0.5)


def _edit_words(rng: random.Random, text: str, noise: float) -> str:
    out = []
    for word in text.split(" "):
        low = word.lower()
        if low in DROPPABLE and rng.random() < noise * 0.6:
            continue
        if low in CONFUSIONS and rng.random() < noise * 0.5:
            word = rng.choice(CONFUSIONS[low])
        out.append(word)
    return " ".join(out)


def add_noise(rng: random.Random, pieces: List[Piece], noise: float = 0.15) -> List[Piece]:
    """Politeness, fillers and recognition errors on the words outside slots."""
    out: List[Piece] = []
    if rng.random() < 0.3:
        out.append(Piece(rng.choice(PREFIXES) + " "))
    for piece in pieces:
        if piece.slot is None:
            text = _edit_words(rng, piece.text, noise)
            if rng.random() < noise * 0.3:
                text = f" {rng.choice(FILLERS)} {text}"
            out.append(Piece(text))
        else:
            out.append(piece)
    if rng.random() < 0.2:
        out.append(Piece(" " + rng.choice(SUFFIXES)))
    return out


def apply_style(rng: random.Random, pieces: List[Piece], style: str) -> List[Piece]:
    """Casing and punctuation of the whole utterance (slot text changes case only)."""
    out = []
    for piece in pieces:
        text = piece.text
        if piece.slot is None:
            text = "".join(ch for ch in text if ch not in "?!.,;:\"")
        text = text.upper() if style == "upper" else text.lower()
        out.append(Piece(text, piece.slot))
    if style != "cased":
        return out
    for piece in out:  # capitalise the first letter of the utterance
        stripped = piece.text.lstrip()
        if stripped:
            lead = len(piece.text) - len(stripped)
            piece.text = piece.text[:lead] + stripped[0].upper() + stripped[1:]
            break
    for piece in out:
        piece.text = " ".join("TV" if w == "tv" else w for w in piece.text.split(" "))
    first = "".join(p.text for p in out).strip().split(" ")[0].lower()
    end = "?" if first in QUESTION_STARTS else ("." if rng.random() < 0.85 else "!")
    for piece in reversed(out):  # the mark follows the last word directly
        piece.text = piece.text.rstrip()
        if piece.text:
            break
    out.append(Piece(end))
    return out
