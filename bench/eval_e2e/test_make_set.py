"""Quick checks of the end-to-end set generator (~10 s): a tiny seeded set made twice is
byte-identical, its labels are consistent, and the commands are well-formed and new.

    ~/.cache/earshot/venv/bin/python bench/eval_e2e/test_make_set.py      # no pytest needed
    python -m pytest -q bench/eval_e2e/test_make_set.py                   # where pytest is
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import tempfile
from functools import lru_cache

import numpy as np
import soundfile as sf

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "tools"))

import make_set  # noqa: E402
from commands import DEV_COMMANDS, PARAGRAPHS, TEST_COMMANDS  # noqa: E402

ENGINES = [e for e in ("espeak", "flite") if shutil.which("espeak-ng" if e == "espeak" else e)]


_TMP = tempfile.TemporaryDirectory(prefix="eval_e2e_test_")


def approx(a, b, tol):
    a, b = (a, b) if isinstance(a, tuple) else ((a,), (b,))
    return all(abs(x - y) <= tol for x, y in zip(a, b))


@lru_cache(maxsize=1)
def tiny():
    """The same tiny set (one command, two items, ~6 s of negatives) made twice."""
    if "espeak" not in ENGINES:
        raise RuntimeError("espeak-ng not installed")
    a, b = Path(_TMP.name) / "a", Path(_TMP.name) / "b"
    kw = dict(engines=ENGINES, n_commands=1, negative_s=6.0, quiet=True)
    info_a = make_set.build("dev", a, seed=5, **kw)
    info_b = make_set.build("dev", b, seed=5, **kw)
    return make_set.set_dir("dev", a, 5), make_set.set_dir("dev", b, 5), info_a, info_b


def test_deterministic():
    da, db, ia, ib = tiny()
    assert ia == ib
    files_a = sorted(p.relative_to(da) for p in da.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(db) for p in db.rglob("*") if p.is_file())
    assert files_a == files_b
    for f in files_a:
        assert (da / f).read_bytes() == (db / f).read_bytes(), f


def test_other_seed_differs():
    _, _, ia, _ = tiny()
    info = make_set.build("dev", Path(_TMP.name) / "c", seed=6, engines=ENGINES, n_commands=1,
                          negative_s=6.0, quiet=True)
    assert info["audio_sha256"] != ia["audio_sha256"]


def test_labels():
    d, _, info, _ = tiny()
    items = [json.loads(line) for line in (d / "manifest.jsonl").read_text().splitlines()]
    assert len(items) == info["items"] == 2  # one command, two repeats in the dev split
    assert len({it["pause"] for it in items}) == 2  # a command's repeats differ in pause
    for it in items:
        x, rate = sf.read(d / it["file"], dtype="int16")
        assert rate == 16000 and x.ndim == 1
        assert len(x) == it["samples"]["total"]
        assert make_set.sha256_file(d / it["file"]) == it["sha256"]
        assert 0 < it["wake_start"] < it["wake_end"] <= it["command_start"] < it["command_end"]
        assert approx(it["command_end"] + make_set.TAIL_S, it["duration"], 1e-3)
        assert approx(it["command_start"] - it["wake_end"], it["pause_s"], 1e-3)
        ws, we = it["samples"]["wake"]
        cs, ce = it["samples"]["command"]
        assert approx((ws / 16000, we / 16000), (it["wake_start"], it["wake_end"]), 1e-4)
        assert approx((cs / 16000, ce / 16000), (it["command_start"], it["command_end"]), 1e-4)
        # Speech where the labels say (clean items: well above the floor), quiet before it.
        lead = np.abs(x[:ws].astype(np.float64)).mean()
        wake = np.abs(x[ws:we].astype(np.float64)).mean()
        assert wake > 3 * lead
        assert (it["snr"] is None) == (it["noise"] is None)
        assert it["keyword"] == "hey_jarvis" and it["intent"] and isinstance(it["slots"], dict)


def test_stream():
    d, _, info, _ = tiny()
    items = {json.loads(line)["id"]: json.loads(line)
             for line in (d / "manifest.jsonl").read_text().splitlines()}
    segs = [json.loads(line) for line in (d / "stream.jsonl").read_text().splitlines()]
    x, rate = sf.read(d / "stream.wav", dtype="int16")
    assert rate == 16000
    assert segs[0]["start"] == 0.0
    assert approx(segs[-1]["end"], len(x) / 16000, 1e-3)
    for a, b in zip(segs, segs[1:]):
        assert approx(a["end"], b["start"], 1e-3)  # back to back
    cmds = [s for s in segs if s["kind"] == "command"]
    assert len(cmds) == info["stream_items"] >= 1
    assert any(s["kind"] != "command" for s in segs)
    for c in cmds:
        it = items[c["id"]]
        assert approx(c["wake_start"] - c["start"], it["wake_start"], 1e-3)
        assert approx(c["command_end"] - c["start"], it["command_end"], 1e-3)
        # The embedded copy is the item's own samples.
        y, _ = sf.read(d / it["file"], dtype="int16")
        s0 = int(round(c["start"] * 16000))
        assert np.array_equal(x[s0:s0 + len(y)], y)


def test_commands_well_formed_and_new():
    from nlu.intents import DATA_DIR, TARGET_INTENTS

    def norm(t):
        return " ".join("".join(ch if ch.isalnum() or ch == " " else " " for ch in t.lower()).split())

    handwritten = {norm(json.loads(line)["text"]) for line in
                   (DATA_DIR / "handwritten.jsonl").read_text().splitlines() if line.strip()}
    texts = [t for t, _, _ in TEST_COMMANDS + DEV_COMMANDS]
    assert len(TEST_COMMANDS) >= 40
    assert len(set(map(norm, texts))) == len(texts)  # test and dev disjoint, no repeats
    for text, intent, slots in TEST_COMMANDS + DEV_COMMANDS:
        assert intent in TARGET_INTENTS, text
        assert norm(text) not in handwritten, text
        assert all(isinstance(v, (str, int, float)) for v in slots.values())
    assert not any("jarvis" in p.lower() for p in PARAGRAPHS)


def main() -> int:
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_") and callable(f)]
    failed = 0
    for name, f in tests:
        try:
            f()
            print(f"ok   {name}")
        except Exception as exc:  # noqa: BLE001 - report every failure, then exit 1
            failed += 1
            print(f"FAIL {name}: {type(exc).__name__}: {exc}")
    print(f"{len(tests) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
