"""Export the trained NLU model to earshot's format: nlu-f32.esm, nlu-int8.esm (linear weights
int8 per output channel) and spm.model into models/nlu/, and the parity fixture (torch logits
of ~50 utterances) that tests/nlp checks the C++ encoder against.

    PYTHONPATH=tools /usr/bin/python3 -m nlu.export [--checkpoint DIR] [--out models/nlu]
        [--fixture tests/nlp/fixtures/nlu_torch_logits.esm]

The model files carry everything the C++ stage needs: hyper-parameters, intent labels, slot
tags, the SentencePiece model (tensor `tokenizer.spm`), the slot value lexicon learnt from the
training data (tools/nlu/slot_values.py) and the home's names, areas and floors.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

import numpy as np
import sentencepiece as spm
import torch
import yaml

from earshot_model import quantize_per_channel_int8, write_model

from .slot_values import NUMERIC_SLOTS, build_lexicon, closed_values, intent_domains, intent_slots
from .train import MAX_LEN, read_jsonl
from .train_decode import decode_spans
from .train_model import IntentSlotModel, ModelConfig

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "data" / "nlu" / "home.yaml"
EXTRA_VALUES = ROOT / "data" / "nlu" / "extra_values.yaml"
HANDWRITTEN = ROOT / "data" / "nlu" / "handwritten.jsonl"
LINEAR = ("qkv", "out", "fc1", "fc2")
EXPORTER = "tools/nlu/export.py 1"
# Inputs the parity fixture adds to held-out and hand-written sentences: edge cases.
EDGE_TEXTS = ["", "a", "TURN OFF THE KITCHEN LIGHT!!!", "schalte das licht aus",
              "éàü 漢字 😀", "set a timer for 1/2 minutes", "set the brightness to 80%"]


def home_lists(path: Path) -> dict:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    names = [e["name"] for items in raw["entities"].values() for e in items or []]
    domains = {e["name"]: domain for domain, items in raw["entities"].items() for e in items or []}
    return {"names": names, "areas": [a["name"] for a in raw.get("areas") or []],
            "floors": [str(f) for f in raw.get("floors") or []], "domains": domains,
            "source": "data/nlu/home.yaml"}


def name_domains() -> dict:
    """Every device name the training sentences use (the home's and our extra ones): domain."""
    extra = yaml.safe_load(EXTRA_VALUES.read_text(encoding="utf-8"))["entities"]
    out = {n: d for d, names in extra.items() for n in names}
    out.update(home_lists(HOME)["domains"])
    return out


def load(checkpoint_dir: Path):
    ckpt = torch.load(checkpoint_dir / "checkpoint.pt", map_location="cpu")
    model = IntentSlotModel(ModelConfig(**ckpt["config"]))
    model.load_state_dict(ckpt["state"])
    model.eval()
    sp = spm.SentencePieceProcessor(model_file=str(checkpoint_dir / "spm.model"))
    return ckpt, model, sp


def ensemble_probs(models: list, ids: torch.Tensor):
    """The ensemble's answer for a [1, pieces] batch, as the C++ Nlu computes it: the mean of the
    members' intent probabilities [1, intents] and tag probabilities [1, pieces, tags], with each
    member's raw (intent, slot) logits."""
    logits = [m(ids, torch.zeros_like(ids, dtype=torch.bool)) for m in models]
    intent = sum(torch.softmax(li, -1) for li, _ in logits) / len(models)
    tags = sum(torch.softmax(ls, -1) for _, ls in logits) / len(models)
    return intent, tags, logits


def vocabulary(sp) -> list:
    return [(sp.id_to_piece(i), sp.get_score(i)) for i in range(sp.get_piece_size())]


def tensors_of(model: IntentSlotModel, int8: bool, prefix: str = "") -> dict:
    out = {}
    for name, value in model.state_dict().items():
        arr = value.detach().numpy().astype(np.float32)
        layer = name.rsplit(".", 1)[0].split(".")[-1]
        if int8 and name.endswith(".weight") and layer in LINEAR + ("intent", "slot"):
            q, scale = quantize_per_channel_int8(arr)
            out[prefix + name] = q
            out[prefix + name + ".scale"] = scale
        else:
            out[prefix + name] = arr
    return out


def home_name_intents(records) -> list:
    """Intents whose training sentences name a device of the home: templates with Home
    Assistant's {name} list (a timer's name is {timer_name:name})."""
    return sorted({r["intent"] for r in records if "{name}" in r.get("template", "")})


def member_prefix(k: int) -> str:
    """Tensor names of an ensemble's member k (the C++ Nlu reads the same): the first keeps
    torch's names, so a one-model file is an ensemble of one."""
    return "" if k == 0 else f"m{k}."


def metadata(ckpts: list, sp_bytes: bytes, lexicon: dict, int8: bool, ckpt_sha: str,
             name_intents: list, closed: dict, slots: dict, domains: dict) -> dict:
    ckpt = ckpts[0]
    c = ckpt["config"]
    return {
        "stage": "nlp", "architecture": "earshot-intent-slot-transformer", "format_version": 1,
        "source": {"package": "earshot NLU training (tools/nlu/train.py)",
                   "version": f"torch {ckpt['torch']}, sentencepiece {ckpt['sentencepiece']}",
                   "file": "checkpoint.pt (each member's, hashed in order)",
                   "sha256": ckpt_sha},
        "converter": EXPORTER,
        "quantization": "int8-per-channel" if int8 else "f32",
        "hparams": {**{k: c[k] for k in ("vocab", "d_model", "heads", "ffn", "layers", "max_len",
                                         "n_intents", "n_tags", "ln_eps")},
                    "members": len(ckpts)},
        "intents": ckpt["intents"], "tags": ckpt["tags"], "none_intent": "none",
        "numeric_slots": list(NUMERIC_SLOTS), "lexicon": lexicon, "home": home_lists(HOME),
        "home_name_intents": name_intents, "closed_values": closed,
        "intent_slots": slots, "intent_domains": domains,
        "tokenizer": {"tensor": "tokenizer.spm", "sha256": hashlib.sha256(sp_bytes).hexdigest()},
        "training": [{"seed": k["seed"], "epochs": k["epochs_done"], "steps": k.get("steps"),
                      "warm_start": k.get("init"), "heldout": k.get("heldout", {})}
                     for k in ckpts],
    }


def fixture_texts(data_dir: Path, n: int = 50) -> list:
    held = [r["text"] for r in read_jsonl(data_dir / "heldout.jsonl")]
    hand = [r["text"] for r in read_jsonl(HANDWRITTEN)]
    return held[::max(1, len(held) // 25)][:25] + hand[::max(1, len(hand) // 18)][:18] + EDGE_TEXTS


def write_fixture(path: Path, models: list, sp, texts, tags) -> None:
    tensors = {}
    spans = {}
    with torch.no_grad():
        for i, text in enumerate(texts):
            ids = sp.encode(text)[:MAX_LEN] or [0]
            if not sp.encode(text):
                continue  # the C++ stage answers "none" without running the model
            t = torch.tensor([ids])
            tensors[f"s{i}.ids"] = np.array(ids, dtype=np.int32)
            intent_probs, tag_probs, logits = ensemble_probs(models, t)
            for k, (li, ls) in enumerate(logits):
                tensors[f"s{i}.{member_prefix(k)}intent"] = li[0].numpy().astype(np.float32)
                tensors[f"s{i}.{member_prefix(k)}slots"] = ls[0].numpy().astype(np.float32)
            tag_probs = tag_probs[0]
            tensors[f"s{i}.intent_probs"] = intent_probs[0].numpy().astype(np.float32)
            tensors[f"s{i}.slot_probs"] = tag_probs.numpy().astype(np.float32)
            proto = sp.encode(text, out_type="immutable_proto")
            pieces = [(p.begin, p.end) for p in proto.pieces][:MAX_LEN]
            best = [tags[k] for k in tag_probs.argmax(-1).tolist()]
            spans[str(i)] = [list(x) for x in decode_spans(text, pieces, best)]
    meta = {"stage": "nlp", "architecture": "parity-fixture", "format_version": 1,
            "source": {"package": "earshot", "version": "1", "file": "nlu-f32.esm", "sha256": ""},
            "converter": EXPORTER, "texts": texts, "tags": tags, "spans": spans,
            "members": len(models),
            "note": "torch logits of each f32 member (s<i>.intent, s<i>.m<k>.intent), the "
                    "ensemble's mean probabilities and the slot spans tools/nlu/train_decode.py "
                    "decodes from them (slot, begin byte, end byte), made by tools/nlu/export.py"}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_model(path, meta, tensors)


def main(argv=None) -> int:
    data = Path(os.environ.get("EARSHOT_CACHE", Path.home() / ".cache" / "earshot")) / "nlu"
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=data)
    ap.add_argument("--checkpoint", type=Path, default=data / "seed1234")
    ap.add_argument("--member", type=Path, action="append", default=[],
                    help="another ensemble member: a run on the same data with another --seed")
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "nlu")
    ap.add_argument("--fixture", type=Path,
                    default=ROOT / "tests" / "nlp" / "fixtures" / "nlu_torch_logits.esm")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    ckpt, model, sp = load(args.checkpoint)
    sp_bytes = (args.checkpoint / "spm.model").read_bytes()
    ckpts, models = [ckpt], [model]
    for member in args.member:
        k, m, member_sp = load(member)
        # The same pieces and scores (the files differ in the training paths they record).
        if vocabulary(member_sp) != vocabulary(sp):
            raise SystemExit(f"{member}: another SentencePiece vocabulary than {args.checkpoint}")
        if (k["config"], k["intents"], k["tags"]) != (ckpt["config"], ckpt["intents"],
                                                      ckpt["tags"]):
            raise SystemExit(f"{member}: another shape or label set than {args.checkpoint}")
        ckpts.append(k)
        models.append(m)
    sha = hashlib.sha256()
    for d in [args.checkpoint] + args.member:
        sha.update((d / "checkpoint.pt").read_bytes())
    ckpt_sha = sha.hexdigest()
    train = read_jsonl(args.data / "train.jsonl")
    lexicon = build_lexicon(train)
    name_intents = home_name_intents(train)
    closed, slots = closed_values(train), intent_slots(train)
    domains = intent_domains(train, name_domains())
    args.out.mkdir(parents=True, exist_ok=True)
    for int8, name in ((False, "nlu-f32.esm"), (True, "nlu-int8.esm")):
        tensors = {}
        for k, m in enumerate(models):
            tensors.update(tensors_of(m, int8, member_prefix(k)))
        tensors["tokenizer.spm"] = np.frombuffer(sp_bytes, dtype=np.uint8)
        meta = metadata(ckpts, sp_bytes, lexicon, int8, ckpt_sha, name_intents, closed, slots,
                        domains)
        size = write_model(args.out / name, meta, tensors)
        print(f"{args.out / name}: {size} bytes")
    shutil.copyfile(args.checkpoint / "spm.model", args.out / "spm.model")
    write_fixture(args.fixture, models, sp, fixture_texts(args.data), ckpt["tags"])
    print(f"{args.fixture}: parity fixture")
    return 0


if __name__ == "__main__":
    sys.exit(main())
