"""Train earshot's NLU model: a SentencePiece vocabulary and the intent + slot transformer.

Seeded and single-threaded, so the same data gives the same model. Run with Debian's python3
and python3-torch (see tools/nlu/train.sh, which also exports the result):

    PYTHONPATH=tools /usr/bin/python3 -m nlu.train [--data DIR] [--out DIR] [--epochs N]
        [--init DIR] [--eval-every STEPS] [--budget-s SECONDS]

Reads DIR/train.jsonl and DIR/heldout.jsonl (from `python -m nlu.generate`), writes
OUT/spm.model and, at every evaluation (each epoch or --eval-every steps), OUT/last.pt and
OUT/checkpoint.pt (with --keep best, the best so far by held-out intent accuracy + slot exact
match; with --keep last, as tools/nlu/train.sh runs it, the model at the last step: weights,
config, label lists, scores). Slots are scored
per word as the C++ stage decodes them (train_decode.py).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path
from typing import List, Sequence, Tuple

import sentencepiece as spm
import torch
from torch import nn

from .train_decode import spans_of_words, word_byte_spans, word_tags
from .train_model import IntentSlotModel, ModelConfig
from .words import split_words

SEED = 1234
VOCAB = 1000
MAX_LEN = 64


def read_jsonl(path: Path) -> List[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def intent_label(record: dict) -> str:
    """The intent plus the slots its template fixes without saying them ("domain": "light")."""
    fixed = sorted((k, str(v)) for k, v in record["slots"].items()
                   if k not in record.get("slot_text", {}))
    return "|".join([record["intent"]] + [f"{k}={v}" for k, v in fixed])


def train_spm(texts: Sequence[str], out: Path, vocab: int) -> spm.SentencePieceProcessor:
    corpus = out / "spm_corpus.txt"
    corpus.write_text("".join(t.replace("\n", " ") + "\n" for t in texts), encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(out / "spm"), vocab_size=vocab, model_type="unigram",
        normalization_rule_name="nmt_nfkc_cf", character_coverage=1.0, byte_fallback=True,
        split_digits=True, num_threads=1, minloglevel=2, unk_id=0, bos_id=-1,
        eos_id=-1, pad_id=1)
    corpus.unlink()
    return spm.SentencePieceProcessor(model_file=str(out / "spm.model"))


def piece_spans(sp: spm.SentencePieceProcessor, text: str) -> Tuple[List[int], List[Tuple[int, int]]]:
    """Piece ids and their byte spans [begin, end) in the UTF-8 text."""
    proto = sp.encode(text, out_type="immutable_proto")
    return [p.id for p in proto.pieces], [(p.begin, p.end) for p in proto.pieces]


def piece_tags(text: str, word_tags: Sequence[str], spans: Sequence[Tuple[int, int]]) -> List[str]:
    """Word BIO tags carried to pieces: a piece takes the tag of the first word it overlaps, as
    B- only when it starts that word."""
    raw = text.encode("utf-8")
    words = []
    for _, s, e in split_words(text):
        words.append((len(text[:s].encode("utf-8")), len(text[:e].encode("utf-8"))))
    assert len(words) == len(word_tags), text
    tags = []
    for b, e in spans:
        while b < e and raw[b:b + 1].isspace():
            b += 1
        tag = "O"
        for (ws, we), wt in zip(words, word_tags):
            if ws < e and b < we:
                if wt != "O":
                    tag = wt if (wt.startswith("I-") or b <= ws) else "I-" + wt[2:]
                break
        tags.append(tag)
    return tags


def encode_set(sp, records, intents, tags) -> List[tuple]:
    """(piece ids, intent index, piece tag indices, piece byte spans, record) per utterance."""
    out = []
    for r in records:
        ids, spans = piece_spans(sp, r["text"])
        ptags = piece_tags(r["text"], r["tags"], spans)
        ids, ptags, spans = ids[:MAX_LEN], ptags[:MAX_LEN], spans[:MAX_LEN]
        if not ids:
            continue
        out.append((ids, intents.index(intent_label(r)) if intent_label(r) in intents else -1,
                    [tags.index(t) if t in tags else 0 for t in ptags], spans, r))
    return out


def batches(data, size: int, rng: random.Random, shuffle: bool):
    order = sorted(range(len(data)), key=lambda i: len(data[i][0]))
    groups = [order[i:i + size] for i in range(0, len(order), size)]
    if shuffle:
        rng.shuffle(groups)
    for g in groups:
        t = max(len(data[i][0]) for i in g)
        ids = torch.full((len(g), t), 1, dtype=torch.long)
        tag = torch.full((len(g), t), -100, dtype=torch.long)
        for row, i in enumerate(g):
            n = len(data[i][0])
            ids[row, :n] = torch.tensor(data[i][0])
            tag[row, :n] = torch.tensor(data[i][2])
        yield ids, ids == 1, torch.tensor([data[i][1] for i in g]), tag


def evaluate(model, data, tags: Sequence[str]) -> Tuple[float, float, float]:
    """Held-out intent accuracy, and the slots decoded per word as the C++ stage does
    (train_decode.py): word tag accuracy and the share of utterances whose spans are all right."""
    model.eval()
    ok = word_ok = word_n = exact = 0
    with torch.no_grad():
        for start in range(0, len(data), 128):
            chunk = data[start:start + 128]
            t = max(len(d[0]) for d in chunk)
            ids = torch.full((len(chunk), t), 1, dtype=torch.long)
            for row, d in enumerate(chunk):
                ids[row, :len(d[0])] = torch.tensor(d[0])
            li, ls = model(ids, ids == 1)
            best = ls.argmax(-1)
            for row, d in enumerate(chunk):
                ok += int(li[row].argmax().item() == d[1])
                text = d[4]["text"]
                pred = [tags[k] for k in best[row, :len(d[0])].tolist()]
                words = word_byte_spans(text)
                pw, gw = word_tags(text, d[3], pred), d[4]["tags"]
                word_ok += sum(a == b for a, b in zip(pw, gw))
                word_n += len(gw)
                exact += int(spans_of_words(words, pw) == spans_of_words(words, gw))
    model.train()
    n = max(len(data), 1)
    return ok / n, word_ok / max(word_n, 1), exact / n


def save(path: Path, model, config, intents, tags, seed: int, steps: int, epochs: float, scores,
         init) -> None:
    torch.save({"config": config.to_dict(), "state": model.state_dict(), "intents": intents,
                "tags": tags, "seed": seed, "epochs_done": round(epochs, 2), "steps": steps,
                "init": init,
                "heldout": scores, "torch": torch.__version__,
                "sentencepiece": spm.__version__}, path)


def main(argv=None) -> int:
    default_data = Path(os.environ.get("EARSHOT_CACHE", Path.home() / ".cache" / "earshot")) / "nlu"
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=default_data)
    ap.add_argument("--out", type=Path, default=default_data / "model")
    ap.add_argument("--epochs", type=float, default=6)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--vocab", type=int, default=VOCAB)
    ap.add_argument("--d-model", type=int, default=128)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--ffn", type=int, default=256)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=SEED,
                    help="initialisation and batch order (ensemble members differ only here)")
    ap.add_argument("--limit", type=int, default=0, help="train on the first N examples (quick)")
    ap.add_argument("--init", type=Path,
                    help="warm start from DIR/checkpoint.pt and DIR/spm.model (same labels)")
    ap.add_argument("--eval-every", type=int, default=0,
                    help="evaluate and keep the best checkpoint every N steps (default: epoch)")
    ap.add_argument("--keep", choices=("best", "last"), default="best",
                    help="what OUT/checkpoint.pt holds: the best evaluation so far, or the model "
                         "as trained to the end (no choice made on the held-out set)")
    ap.add_argument("--budget-s", type=float, default=0,
                    help="stop after this many seconds: the learning rate decays over the budget "
                         "instead of the steps (not reproducible; the steps done are printed)")
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    train = read_jsonl(args.data / "train.jsonl")
    heldout = read_jsonl(args.data / "heldout.jsonl")
    if args.limit:
        train = train[:args.limit]
    init = None
    if args.init:
        init = torch.load(args.init / "checkpoint.pt", map_location="cpu")
        if args.init.resolve() != args.out.resolve():
            shutil.copyfile(args.init / "spm.model", args.out / "spm.model")
        sp = spm.SentencePieceProcessor(model_file=str(args.out / "spm.model"))
        intents, tags = init["intents"], init["tags"]
        missing = {intent_label(r) for r in train} - set(intents)
        if missing:
            raise SystemExit(f"--init: labels the checkpoint lacks: {sorted(missing)}")
        config = ModelConfig(**init["config"])
    else:
        sp = train_spm([r["text"] for r in train], args.out, args.vocab)
        intents = sorted({intent_label(r) for r in train})
        slots = sorted({t[2:] for r in train for t in r["tags"] if t != "O"})
        tags = ["O"] + [f"{p}-{s}" for s in slots for p in ("B", "I")]
        config = ModelConfig(vocab=sp.get_piece_size(), n_intents=len(intents),
                             n_tags=len(tags), d_model=args.d_model, ffn=args.ffn,
                             layers=args.layers, max_len=MAX_LEN)
    train_set = encode_set(sp, train, intents, tags)
    held_set = encode_set(sp, heldout, intents, tags)
    model = IntentSlotModel(config)
    if init is not None:
        model.load_state_dict(init["state"])
    print(f"{len(train_set)} train, {len(held_set)} held out; {len(intents)} intent labels, "
          f"{len(tags)} tags, {sum(p.numel() for p in model.parameters())} parameters", flush=True)

    per_epoch = (len(train_set) + args.batch - 1) // args.batch
    steps = max(1, int(args.epochs * per_epoch))
    warmup = 20 if init is not None else max(1, steps // 10)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    ce = nn.CrossEntropyLoss(ignore_index=-100)
    eval_every = args.eval_every or per_epoch
    start = time.time()
    best = -1.0
    step = 0
    total = 0.0
    done = False
    while not done:
        for ids, pad, intent, tag in batches(train_set, args.batch, rng, True):
            # Linear warm-up, then linear decay over the steps or over the time budget.
            left = 1.0 - (time.time() - start) / args.budget_s if args.budget_s else \
                1.0 - step / steps
            scale = min(1.0, (step + 1) / warmup) if warmup and step < warmup else max(left, 0.02)
            for g in opt.param_groups:
                g["lr"] = args.lr * scale
            li, ls = model(ids, pad)
            loss = ce(li, intent) + ce(ls.reshape(-1, ls.shape[-1]), tag.reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            total += loss.item()
            step += 1
            done = (left <= 0) if args.budget_s else step >= steps
            if step % eval_every == 0 or done:
                acc, word_acc, exact = evaluate(model, held_set, tags)
                score = acc + exact
                print(f"step {step} (epoch {step / per_epoch:.2f}): loss {total:.1f}, heldout "
                      f"intent {acc:.4f}, word tags {word_acc:.4f}, slots exact {exact:.4f}, "
                      f"{time.time() - start:.0f} s", flush=True)
                total = 0.0
                scores = {"intent": acc, "word_tags": word_acc, "slots_exact": exact}
                run = (step, step / per_epoch, scores,
                       None if init is None else {"steps": init.get("steps"),
                                                  "epochs": init["epochs_done"]})
                save(args.out / "last.pt", model, config, intents, tags, args.seed, *run)
                if args.keep == "last" and done:
                    save(args.out / "checkpoint.pt", model, config, intents, tags, args.seed, *run)
                    print(f"  kept as the final model ({args.out / 'checkpoint.pt'})", flush=True)
                elif args.keep == "best" and score > best:
                    best = score
                    save(args.out / "checkpoint.pt", model, config, intents, tags, args.seed, *run)
                    print(f"  kept as the best ({args.out / 'checkpoint.pt'})", flush=True)
            if done:
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
