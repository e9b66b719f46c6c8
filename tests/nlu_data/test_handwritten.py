"""The hand-written evaluation commands: valid JSON lines, known intents and slot names, enough
of them, every target intent and `none` covered, no duplicates; where hassil (Home Assistant's
matcher) understands a command, our label is the same as its answer."""

import json
import re
import sys

from nlu_check import ROOT, check, finish

sys.path.insert(0, str(ROOT / "bench" / "eval_nlu"))

from hassil_peer import HassilPeer  # noqa: E402
from metrics import score, slot_pairs  # noqa: E402

from nlu.home import load_home  # noqa: E402
from nlu.intents import ALL_LABELS, TARGET_INTENTS, load_intents  # noqa: E402

PATH = ROOT / "data" / "nlu" / "handwritten.jsonl"


def known_slot_names():
    names = set()
    for intent in load_intents(with_paraphrases=True).intents.values():
        for block in intent.data:
            names.update(block.slots)
            for sentence in block.sentences:
                text = sentence.text or ""
                for ref in re.findall(r"\{([^}]+)\}", text):
                    names.add(ref.split(":")[-1].lstrip("@"))
    return names


def main():
    records = []
    for lineno, line in enumerate(PATH.read_text(encoding="utf-8").splitlines(), 1):
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            check(False, f"{PATH.name}:{lineno}: not JSON ({exc})")
            continue
        check(set(rec) == {"text", "intent", "slots"}, f"{PATH.name}:{lineno}: keys {sorted(rec)}")
        records.append(rec)
    check(len(records) >= 150, f"only {len(records)} hand-written commands")
    texts = [r["text"] for r in records]
    check(len(set(texts)) == len(texts), "duplicate hand-written texts")
    slot_names = known_slot_names()
    for i, r in enumerate(records, 1):
        check(r["intent"] in ALL_LABELS, f"line {i}: unknown intent {r['intent']!r}")
        check(isinstance(r["slots"], dict), f"line {i}: slots is not an object")
        unknown = set(r["slots"]) - slot_names
        check(not unknown, f"line {i}: unknown slot names {sorted(unknown)}")
        check(r["intent"] != "none" or not r["slots"], f"line {i}: none with slots")
    present = {r["intent"] for r in records}
    check(set(ALL_LABELS) <= present, f"intents without a command: {sorted(set(ALL_LABELS) - present)}")
    check(sum(r["intent"] == "none" for r in records) >= 15, "too few `none` commands")

    perfect = score(records, records)
    check(perfect.intent_accuracy == 1.0 and perfect.slot_f1 == 1.0 and perfect.exact_match == 1.0,
          f"gold scored against itself: {perfect}")
    wrong = [dict(r, slots={k: "x" for k in r["slots"]}) for r in records]
    damaged = score(records, wrong)
    check(damaged.slot_f1 == 0.0 and damaged.intent_accuracy == 1.0,
          f"every slot value wrong should give slot F1 0: {damaged}")
    check(slot_pairs({"minutes": 10}) == slot_pairs({"minutes": "10.0"}), "10 != '10.0'")

    peer = HassilPeer(load_home())
    matched = 0
    for r in records:
        p = peer.predict(r["text"])
        if p["intent"] == "none":
            continue
        matched += 1
        check(p["intent"] == r["intent"] and slot_pairs(p["slots"]) == slot_pairs(r["slots"]),
              f"{r['text']!r}: label {r['intent']} {r['slots']}, hassil {p['intent']} {p['slots']}")
    check(matched >= 100, f"hassil understood only {matched} commands: labels barely checked")
    finish("nlu_data_handwritten")


if __name__ == "__main__":
    main()
