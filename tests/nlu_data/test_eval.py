"""The NLU evaluation in CI: the committed int8 model through `earshot nlu` (one process) on the
held-out template expansions and the hand-written commands, scored beside hassil on the same
sets (bench/eval_nlu). Checks issue 7's accuracy targets: held-out intent accuracy >= 0.99 and
slot F1 >= 0.97, hand-written exact match above hassil's. The held-out sets are generated into
the cache (seeded, as tools/nlu/generate.py makes them) when they are not there yet."""

import os
import sys

from nlu_check import ROOT, check, finish

sys.path.insert(0, str(ROOT / "bench" / "eval_nlu"))

import eval_hassil  # noqa: E402
from eval_model import predict_all  # noqa: E402
from hassil_peer import HassilPeer  # noqa: E402
from metrics import format_table, score  # noqa: E402

from nlu.home import DEFAULT_HOME, load_home  # noqa: E402


def main():
    earshot = os.environ.get("EARSHOT_BIN", str(ROOT / "build" / "bin" / "earshot"))
    sets = eval_hassil.load_sets(eval_hassil.generate.default_out())
    texts = sorted({r["text"] for records in sets.values() for r in records})
    preds, seconds = predict_all(earshot, texts, "int8")
    ms = seconds * 1000.0 / len(texts)  # the whole CLI run, model load included
    by_text = {p["text"]: p for p in preds}
    hassil = HassilPeer(load_home(DEFAULT_HOME))
    rows, scores = [], {}
    for name, records in sets.items():
        ours = score(records, [by_text[r["text"]] for r in records])
        hassil_preds, hassil_ms = eval_hassil.run_system(hassil.predict, records)
        theirs = score(records, hassil_preds)
        scores[name] = (ours, theirs)
        rows += [(name, "hassil", theirs, hassil_ms), (name, "earshot-int8", ours, ms)]
    print(format_table(rows))
    held, _ = scores["heldout"]
    check(held.n > 2000, f"only {held.n} held-out utterances")
    check(held.intent_accuracy >= 0.99, f"held-out intent accuracy {held.intent_accuracy:.3f} < 0.99")
    check(held.slot_f1 >= 0.97, f"held-out slot F1 {held.slot_f1:.3f} < 0.97")
    ours, theirs = scores["handwritten"]
    check(ours.exact_match > theirs.exact_match,
          f"hand-written exact match {ours.exact_match:.3f} not above hassil's {theirs.exact_match:.3f}")
    finish("nlu_eval")


if __name__ == "__main__":
    main()
