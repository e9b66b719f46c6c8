"""Random expansion of one hassil sentence template into text pieces with slot labels.

hassil's own sampler (hassil.sample) enumerates every text but forgets which words filled which
slot; this walks the same expression tree, picks one branch at a time, and keeps each slot's text
and the value Home Assistant would receive (value_out of a list, a number times its multiplier).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence as Seq, Tuple

from hassil.expression import (
    Alternative,
    Expression,
    Group,
    ListReference,
    Permutation,
    RuleReference,
    Sentence,
    Sequence,
    TextChunk,
)
from hassil.intents import RangeSlotList, SlotList, TextSlotList, TextSlotValue, WildcardSlotList
from hassil.numbers import get_rbnf_engine


class SkipTemplate(Exception):
    """The template needs a value that this split does not have (e.g. no held-out climate name)."""


@dataclass
class Piece:
    text: str
    slot: Optional[str] = None


@dataclass
class Expansion:
    pieces: List[Piece] = field(default_factory=list)
    slots: Dict[str, Any] = field(default_factory=dict)


# How a number is spoken: returns the text for a value.
NumberRenderer = Callable[[float], str]


def number_words(value: float, hyphen: bool = True) -> str:
    text = get_rbnf_engine("en").format_number(value).text
    return text if hyphen else text.replace("-", " ")


def number_digits(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@dataclass
class ValuePools:
    """What each slot list may produce in one split.

    text_filter(list_name, value) says whether a TextSlotList value belongs to this split;
    numbers[list_name] lists the allowed numbers of a range; wildcards[list_name] lists the texts
    a wildcard may take.
    """

    slot_lists: Dict[str, SlotList]
    text_filter: Callable[[str, TextSlotValue], bool] = lambda _name, _value: True
    number_filter: Callable[[str, float], bool] = lambda _name, _n: True
    wildcards: Dict[str, Seq[str]] = field(default_factory=dict)
    _numbers: Dict[str, List[float]] = field(default_factory=dict)

    def numbers(self, list_name: str, rng_list: RangeSlotList) -> List[float]:
        if list_name not in self._numbers:
            self._numbers[list_name] = [
                n for n in rng_list.get_numbers() if self.number_filter(list_name, n)
            ]
        return self._numbers[list_name]


class Expander:
    def __init__(
        self,
        rng: random.Random,
        pools: ValuePools,
        rules: Dict[str, Sentence],
        render_number: NumberRenderer,
        name_context: Optional[Dict[str, Any]] = None,
    ):
        self.rng = rng
        self.pools = pools
        self.rules = rules
        self.render_number = render_number
        # requires_context of the template's block: restricts {name} values by their context.
        self.name_context = name_context or {}

    def expand(self, sentence: Sentence, local_lists: Optional[Dict[str, SlotList]] = None) -> Expansion:
        out = Expansion()
        self._local_lists = local_lists or {}
        self._walk(sentence.expression, out)
        return out

    # -- tree walk ------------------------------------------------------------------------
    def _walk(self, exp: Expression, out: Expansion, slot: Optional[str] = None) -> None:
        if isinstance(exp, TextChunk):
            if exp.original_text:
                out.pieces.append(Piece(exp.original_text, slot))
        elif isinstance(exp, Alternative):
            if exp.items:
                self._walk(self.rng.choice(exp.items), out, slot)
        elif isinstance(exp, Permutation):
            items = list(exp.items)
            self.rng.shuffle(items)
            for item in items:
                self._walk(item, out, slot)
        elif isinstance(exp, (Sequence, Group)):
            for item in exp.items:
                self._walk(item, out, slot)
        elif isinstance(exp, RuleReference):
            rule = self.rules.get(exp.rule_name)
            if rule is None:
                raise KeyError(f"missing expansion rule <{exp.rule_name}>")
            self._walk(rule.expression, out, slot)
        elif isinstance(exp, ListReference):
            if slot is not None:
                raise SkipTemplate("list inside a slot value")
            self._list(exp, out)
        else:
            raise TypeError(f"unexpected expression {exp!r}")

    def _list(self, ref: ListReference, out: Expansion) -> None:
        slot_name = ref.slot_name
        if ref.is_inline_range:
            start, stop, step = ref.get_inline_range()  # type: ignore[misc]
            slot_list: SlotList = RangeSlotList(name=None, start=start, stop=stop, step=step)
        else:
            found = self._local_lists.get(ref.list_name) or self.pools.slot_lists.get(ref.list_name)
            if found is None:
                raise SkipTemplate(f"no slot list {{{ref.list_name}}}")
            slot_list = found
        if isinstance(slot_list, TextSlotList):
            choices = [
                v
                for v in slot_list.values
                if self.pools.text_filter(ref.list_name, v) and self._context_ok(ref.list_name, v)
            ]
            if not choices:
                raise SkipTemplate(f"no values for {{{ref.list_name}}}")
            value = self.rng.choice(choices)
            start = len(out.pieces)
            self._walk(value.text_in, out, slot_name)
            text = "".join(p.text for p in out.pieces[start:])
            del out.pieces[start:]
            out.pieces.append(Piece(" ".join(text.split()), slot_name))
            out.slots[slot_name] = value.value_out
        elif isinstance(slot_list, RangeSlotList):
            numbers = self.pools.numbers(ref.list_name, slot_list)
            if not numbers:
                raise SkipTemplate(f"no numbers for {{{ref.list_name}}}")
            n = self.rng.choice(numbers)
            out.pieces.append(Piece(self.render_number(n), slot_name))
            value = n * slot_list.multiplier if slot_list.multiplier else n
            out.slots[slot_name] = int(value) if float(value).is_integer() else value
        elif isinstance(slot_list, WildcardSlotList):
            texts = self.pools.wildcards.get(ref.list_name)
            if not texts:
                raise SkipTemplate(f"no texts for wildcard {{{ref.list_name}}}")
            text = self.rng.choice(list(texts))
            out.pieces.append(Piece(text, slot_name))
            out.slots[slot_name] = text
        else:
            raise TypeError(f"unexpected slot list {slot_list!r}")

    def _context_ok(self, list_name: str, value: TextSlotValue) -> bool:
        if list_name != "name" or not self.name_context:
            return True
        ctx = value.context or {}
        for key, want in self.name_context.items():
            if isinstance(want, dict):  # {"slot": true}: filled from the speaker, not a filter
                continue
            have = ctx.get(key)
            if isinstance(want, (list, tuple, set)):
                if have not in want:
                    return False
            elif have != want:
                return False
        return True


def join_pieces(pieces: List[Piece]) -> Tuple[str, List[Tuple[str, int, int]]]:
    """Concatenates pieces, collapsing whitespace; returns text and (slot, start, end) spans."""
    chars: List[str] = []
    labels: List[Optional[str]] = []
    for piece in pieces:
        # A slot must start and end on a word boundary ("5000k" -> "5000 k").
        if chars and piece.text[:1].isalnum() and chars[-1].isalnum() and (
            piece.slot != labels[-1]
        ):
            chars.append(" ")
            labels.append(None)
        for ch in piece.text:
            if ch.isspace():
                if not chars or chars[-1] == " ":
                    continue
                chars.append(" ")
                labels.append(None)
            else:
                chars.append(ch)
                labels.append(piece.slot)
    while chars and chars[-1] == " ":
        chars.pop()
        labels.pop()
    text = "".join(chars)
    spans: List[Tuple[str, int, int]] = []
    i = 0
    while i < len(labels):
        if labels[i] is None:
            i += 1
            continue
        j = i
        # A slot's text may contain spaces: extend over spaces followed by the same slot.
        while j + 1 < len(labels) and (
            labels[j + 1] == labels[i]
            or (chars[j + 1] == " " and j + 2 < len(labels) and labels[j + 2] == labels[i])
        ):
            j += 1
        spans.append((labels[i], i, j + 1))
        i = j + 1
    return text, spans
