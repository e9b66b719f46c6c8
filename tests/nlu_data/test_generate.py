"""Generation of NLU data: reproducible for a seed (across processes), held-out templates and
values never in training, every intent present, BIO tags aligned with words and slot values,
bad arguments rejected with a message."""

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from nlu_check import ROOT, check, finish

from nlu.generate import normalize_text
from nlu.intents import ALL_LABELS
from nlu.words import split_words

SMALL = ["--train-per-intent", "12", "--heldout-per-intent", "5", "--none-train", "30",
         "--none-heldout", "10"]
TEXT_SLOTS = ("name", "area", "floor", "item", "conversation_command")


def run_generate(out, seed, hashseed, extra=()):
    env = dict(os.environ, PYTHONHASHSEED=str(hashseed), PYTHONPATH=str(ROOT / "tools"))
    return subprocess.run([sys.executable, "-m", "nlu.generate", "--out", str(out), "--seed",
                           str(seed), *SMALL, *extra], env=env, capture_output=True, text=True)


def read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_record(rec, where):
    words = split_words(rec["text"])
    check([w for w, _, _ in words] == rec["words"], f"{where}: words differ from the text split")
    check(len(rec["tags"]) == len(rec["words"]), f"{where}: {len(rec['tags'])} tags for "
          f"{len(rec['words'])} words")
    prev = "O"
    for tag in rec["tags"]:
        ok = tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and prev[2:] == tag[2:])
        check(ok, f"{where}: bad BIO sequence at {tag} after {prev}")
        prev = tag
    for slot, span_text in rec["slot_text"].items():
        check(slot in rec["slots"], f"{where}: tagged slot {slot} missing from slots")
        idx = [i for i, t in enumerate(rec["tags"]) if t[2:] == slot]
        check(bool(idx) and rec["tags"][idx[0]] == "B-" + slot and idx == list(
            range(idx[0], idx[-1] + 1)), f"{where}: slot {slot} is not one B-I run")
        if idx:
            covered = rec["text"][words[idx[0]][1]:words[idx[-1]][2]]
            check(covered == span_text, f"{where}: words of {slot} read {covered!r}, "
                  f"slot text is {span_text!r}")
        if slot in TEXT_SLOTS:
            check(normalize_text(span_text) == normalize_text(str(rec["slots"][slot])),
                  f"{where}: {slot} text {span_text!r} != value {rec['slots'][slot]!r}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        a, b, c = tmp / "a", tmp / "b", tmp / "c"
        for out, seed, hs in ((a, 7, 1), (b, 7, 2), (c, 8, 1)):
            res = run_generate(out, seed, hs)
            check(res.returncode == 0, f"generate seed {seed} failed: {res.stderr[-500:]}")
        for name in ("train.jsonl", "heldout.jsonl", "heldout_clean.jsonl", "split.json"):
            check(sha(a / name) == sha(b / name), f"{name}: same seed gave different files")
        check(sha(a / "train.jsonl") != sha(c / "train.jsonl"), "another seed gave the same data")

        train, heldout = read(a / "train.jsonl"), read(a / "heldout.jsonl")
        clean = read(a / "heldout_clean.jsonl")
        split = json.loads((a / "split.json").read_text())
        for name, recs in (("train", train), ("heldout", heldout), ("heldout_clean", clean)):
            present = {r["intent"] for r in recs}
            check(present == set(ALL_LABELS), f"{name}: intents missing "
                  f"{sorted(set(ALL_LABELS) - present)}, unknown {sorted(present - set(ALL_LABELS))}")
            for i, r in enumerate(recs):
                check_record(r, f"{name}:{i + 1}")

        held_ids = set(split["heldout_templates"])
        train_ids = {r["template"] for r in train}
        check(not held_ids & train_ids, f"held-out templates in train: {sorted(held_ids & train_ids)[:3]}")
        check(all(r["template"] in held_ids or r["intent"] == "none" for r in heldout + clean),
              "a held-out example comes from a training template")
        train_texts = {normalize_text(r["text"]) for r in train}
        check(not any(normalize_text(r["text"]) in train_texts for r in heldout + clean),
              "a held-out text also appears in train")
        hv, tv = split["heldout_values"], split["train_values"]
        for key in hv:
            check(not set(hv[key]) & set(tv[key]), f"held-out {key} values also in train")
        slot_to_list = {"name": ["name", "timer_name"], "area": ["area"], "floor": ["floor"],
                        "item": ["shopping_list_item"], "conversation_command": ["timer_command"]}
        train_slot_values = {}
        for r in train:
            for slot, value in r["slots"].items():
                train_slot_values.setdefault(slot, set()).add(normalize_text(str(value)))
        for r in heldout:
            for slot, lists in slot_to_list.items():
                if slot in r["slots"] and r["intent"] != "none":
                    value = r["slots"][slot]
                    check(any(value in hv[name] for name in lists),
                          f"held-out {slot} {value!r} is not a held-out value")
            for slot in ("volume_level", "hours"):
                if slot in r["slots"]:
                    check(normalize_text(str(r["slots"][slot])) not in train_slot_values.get(slot, ()),
                          f"held-out {slot}={r['slots'][slot]} also occurs in train")

        bad = run_generate(tmp / "bad", 7, 1, ["--heldout-fraction", "2"])
        check(bad.returncode != 0 and "heldout-fraction" in bad.stderr,
              "an absurd --heldout-fraction was accepted")
        missing = run_generate(tmp / "bad", 7, 1, ["--home", str(tmp / "nohome.yaml")])
        check(missing.returncode == 1 and "nohome.yaml" in missing.stderr,
              f"a missing home file gave rc {missing.returncode}: {missing.stderr[-200:]}")
        (tmp / "broken.yaml").write_text("floors: [a\nentities: {")
        broken = run_generate(tmp / "bad", 7, 1, ["--home", str(tmp / "broken.yaml")])
        check(broken.returncode == 1 and "broken.yaml" in broken.stderr,
              "a corrupt home file was not reported by name")
    finish("nlu_data_generate")


if __name__ == "__main__":
    main()
