"""Scores and the printed table for eval_asr.py: WER per set (Whisper-normalised text, pooled
over the set's words), times, peak RSS, command latency, and the issue's targets as ratios
against the peers measured in the same run."""
from __future__ import annotations

import jiwer

from datasets import Utterance
from normalize import normalize
from systems import Run, System

SETS = ["testdata", "tts_clean", "tts_noisy"]
COMMAND_MIN_S, COMMAND_MAX_S = 2.0, 6.0


def wer(run: Run, utts: list[Utterance]) -> float:
    """Percent: (substitutions + deletions + insertions) / reference words, over `utts`."""
    refs = [normalize(u.ref) for u in utts]
    hyps = [normalize(run.texts[u.path]) for u in utts]
    return 100.0 * jiwer.wer(refs, hyps)


def command_clips(utts: list[Utterance]) -> list[Utterance]:
    """Commands of 2-6 s (clean TTS and the testdata commands): the latency set."""
    return [u for u in utts if u.kind == "command" and u.set in ("testdata", "tts_clean")
            and COMMAND_MIN_S <= u.duration <= COMMAND_MAX_S]


def score(run: Run, utts: list[Utterance]) -> dict:
    speech = [u for u in utts if u.set in SETS]
    cmds = command_clips(utts)
    row = {"system": run.system.name, "command": " ".join(run.command),
           "wall_s": run.wall_s, "peak_rss_mb": run.peak_rss_mb, "load_s": run.load_s,
           "loadavg": run.loadavg,
           "transcribe_s": sum(run.secs[u.path] for u in utts),
           "speech_transcribe_s": sum(run.secs[u.path] for u in speech),
           "command_latency_ms": 1000 * sum(run.secs[u.path] for u in cmds) / max(1, len(cmds)),
           "command_clips": len(cmds),
           "wer": {s: wer(run, [u for u in utts if u.set == s]) for s in SETS
                   if any(u.set == s for u in utts)},
           "wer_all": wer(run, speech),
           "null_text": {u.path.rsplit("/", 1)[-1]: run.texts[u.path]
                         for u in utts if u.set == "null"},
           "texts": {u.path: run.texts[u.path] for u in utts},
           "secs": {u.path: round(run.secs[u.path], 4) for u in utts}}
    return row


def _find(rows: dict[System, dict], **kw) -> tuple[System, dict] | None:
    for s, r in rows.items():
        if all(getattr(s, k) == v for k, v in kw.items()):
            return s, r
    return None


def targets(rows: dict[System, dict]) -> list[str]:
    """The issue's targets, each as measured (PASS/FAIL) or 'not measured'."""
    out = []

    def line(name, value, limit, ok, detail):
        out.append(f"{'PASS' if ok else 'FAIL'}  {name}: {value} (target {limit}); {detail}")

    for s, r in rows.items():
        if s.family != "earshot" or s.precision != "int8" or s.full_windows:
            continue
        peer = _find(rows, family="faster-whisper", precision="float32", threads=s.threads,
                     beam=s.beam)
        if peer:
            d = r["wer_all"] - peer[1]["wer_all"]
            line(f"WER {s.name} - faster-whisper float32 t{s.threads} b{s.beam}",
                 f"{d:+.2f} points", "<= +0.50", d <= 0.5,
                 f"{r['wer_all']:.2f}% vs {peer[1]['wer_all']:.2f}% over all speech sets")
        if s.threads != 1:
            continue
        fw8 = _find(rows, family="faster-whisper", precision="int8", threads=1, beam=s.beam)
        if not fw8:
            continue
        t = r["transcribe_s"] / fw8[1]["transcribe_s"]
        line(f"offline time {s.name} / faster-whisper int8 t1 b{s.beam}", f"{t:.2f}x",
             "<= 0.70x", t <= 0.7,
             f"{r['transcribe_s']:.1f} s vs {fw8[1]['transcribe_s']:.1f} s transcribing, "
             f"whole process {r['wall_s']:.1f} s vs {fw8[1]['wall_s']:.1f} s "
             f"({r['wall_s'] / fw8[1]['wall_s']:.2f}x)")
        c = r["command_latency_ms"] / fw8[1]["command_latency_ms"]
        line(f"command latency {s.name} / faster-whisper int8 t1 b{s.beam}", f"{c:.2f}x",
             "<= 0.20x", c <= 0.2,
             f"mean {r['command_latency_ms']:.0f} ms vs {fw8[1]['command_latency_ms']:.0f} ms "
             f"over {r['command_clips']} clips of 2-6 s")
    for s, r in rows.items():
        if s.family == "earshot" and s.precision == "int8" and s.threads == 1 and s.beam == 1 \
                and not s.full_windows:
            line(f"peak RSS {s.name}", f"{r['peak_rss_mb']:.0f} MB", "<= 150 MB",
                 r["peak_rss_mb"] <= 150, "the whole transcribe run, 60 s files included")
        if s.family == "earshot":
            texts = r["null_text"]
            nonempty = {k: v for k, v in texts.items() if v.strip()}
            line(f"no speech, no text ({s.name})", f"{len(nonempty)} of {len(texts)} non-empty",
                 "all empty", not nonempty and bool(texts),
                 "; ".join(f"{k}: {v[:40]!r}" for k, v in nonempty.items()) or "60 s files")
    return out


def table(rows: dict[System, dict]) -> str:
    sets = [s for s in SETS if any(s in r["wer"] for r in rows.values())]
    head = (["system"] + [f"WER {s} %" for s in sets] +
            ["WER all %", "transcribe s", "process s", "peak RSS MB", "cmd latency ms",
             "load avg", "silence/noise text"])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s, r in rows.items():
        null = "; ".join(f"{k.split('_')[0]}: {'empty' if not v.strip() else repr(v[:24])}"
                         for k, v in r["null_text"].items())
        cells = ([s.name] + [f"{r['wer'].get(x, float('nan')):.2f}" for x in sets] +
                 [f"{r['wer_all']:.2f}", f"{r['transcribe_s']:.1f}", f"{r['wall_s']:.1f}",
                  f"{r['peak_rss_mb']:.0f}", f"{r['command_latency_ms']:.0f}",
                  f"{r['loadavg'][0]:.1f}-{r['loadavg'][1]:.1f}", null])
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
