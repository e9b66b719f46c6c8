"""Slot spans from piece tags, decided per word: the reference for nlp/slot_spans.cpp.

A word (tools/nlu/words.py) takes the tag of the piece that holds its first byte, so a span always
starts and ends on word boundaries ("orange", never "ange"). A word that starts inside a piece
begun by an earlier word continues that piece's slot (B- becomes I-). BIO over the words then
gives (slot, begin, end) byte spans of the UTF-8 text; the first span of a slot wins.
"""

from __future__ import annotations

from typing import List, Sequence, Tuple

from .words import split_words


def word_byte_spans(text: str) -> List[Tuple[int, int]]:
    out = []
    for _, s, e in split_words(text):
        out.append((len(text[:s].encode("utf-8")), len(text[:e].encode("utf-8"))))
    return out


def first_pieces(words: Sequence[Tuple[int, int]],
                 pieces: Sequence[Tuple[int, int]]) -> List[Tuple[int, bool]]:
    """For each word: (index of the piece holding its first byte or -1, whether that piece
    began before the word)."""
    out = []
    p = 0
    for ws, _ in words:
        while p < len(pieces) and pieces[p][1] <= ws:
            p += 1
        if p < len(pieces) and pieces[p][0] <= ws:
            b = pieces[p][0]
            out.append((p, b < ws and p > 0 and words_before(words, b, ws)))
        else:
            out.append((-1, False))
    return out


def words_before(words: Sequence[Tuple[int, int]], begin: int, ws: int) -> bool:
    """True when an earlier word has bytes in [begin, ws) (the piece is shared, not just a
    leading space)."""
    return any(begin < we and s < ws for s, we in words)


def word_tags(text: str, pieces: Sequence[Tuple[int, int]], piece_tags: Sequence[str]) -> List[str]:
    words = word_byte_spans(text)
    tags = []
    for p, shared in first_pieces(words, pieces):
        t = piece_tags[p] if p >= 0 else "O"
        if shared and t.startswith("B-"):
            t = "I-" + t[2:]
        tags.append(t)
    return tags


def decode_spans(text: str, pieces: Sequence[Tuple[int, int]],
                 piece_tags: Sequence[str]) -> List[Tuple[str, int, int]]:
    """(slot, begin byte, end byte) of each slot, the first span of a slot winning."""
    return spans_of_words(word_byte_spans(text), word_tags(text, pieces, piece_tags))


def spans_of_words(words: Sequence[Tuple[int, int]],
                   tags: Sequence[str]) -> List[Tuple[str, int, int]]:
    """BIO over words -> (slot, begin byte, end byte), the first span of a slot winning."""
    spans: List[Tuple[str, int, int]] = []
    current, begin, end = None, 0, 0

    def close():
        if current is not None and all(s != current for s, _, _ in spans):
            spans.append((current, begin, end))

    for (ws, we), t in zip(words, tags):
        if t == "O":
            close()
            current = None
            continue
        slot = t[2:]
        if t.startswith("B-") or slot != current:
            close()
            current, begin = slot, ws
        end = we
    close()
    return spans
