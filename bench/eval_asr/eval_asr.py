"""ASR evaluation (issue 6): earshot beside faster-whisper and pocketsphinx, one run.

earshot (tiny.en f32 and int8) beside faster-whisper (the same weights in CTranslate2, float32
and int8) and pocketsphinx (en-us), on the same files in one run: WER (Whisper's English
normaliser) on the pocketsphinx-testdata recordings, a seeded espeak-ng TTS set (clean and at
10 dB SNR), 60 s of silence and of noise; total time, peak RSS, latency on 2-6 s commands, and
the issue's targets as ratios measured in this run. See README.md.

  ~/.cache/earshot/venv/bin/python bench/eval_asr/eval_asr.py            # --quick: ~5 min
  ~/.cache/earshot/venv/bin/python bench/eval_asr/eval_asr.py --full     # 3 voices, t1/t2, b1/b5

--quick: one voice per text; threads 1, beam 1 for every system (the targets' settings);
pocketsphinx only with --pocketsphinx.
--full: three voices per text; threads 1 and 2, beam 1 and 5, earshot with 30 s windows, and
pocketsphinx.
--repeat N: every system N times, each file's fastest time kept (for a shared machine).
Writes <out>/results.json (every text, time, command line) and <out>/table.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import sys
import time
from pathlib import Path

from datasets import all_sets
from make_tts_set import DEFAULT_CACHE
from report import score, table, targets
from systems import System, earshot_model, run_system

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def default_binary() -> str:
    if os.environ.get("EARSHOT_BIN"):
        return os.environ["EARSHOT_BIN"]
    for b in ("build/bin/earshot", "build-asreval/bin/earshot"):
        if (ROOT / b).exists():
            return str(ROOT / b)
    return "earshot"


def systems(full: bool, peers: bool, threads: list[int], beams: list[int],
            pocketsphinx: bool) -> list[System]:
    grid = [(t, b) for t in threads for b in beams]
    out = []
    for t, b in grid:
        out += [System("earshot", "int8", t, b)]
        if peers:
            out += [System("faster-whisper", "int8", t, b)]
        out += [System("earshot", "f32", t, b)]
        if peers:
            out += [System("faster-whisper", "float32", t, b)]
    if full:
        out += [System("earshot", "int8", 1, 1, full_windows=True)]
    if peers and pocketsphinx:
        out += [System("pocketsphinx")]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="the default")
    mode.add_argument("--full", action="store_true")
    ap.add_argument("--earshot", default=default_binary(), help="the earshot CLI (EARSHOT_BIN)")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-peers", action="store_true", help="earshot only")
    ap.add_argument("--pocketsphinx", action="store_true",
                    help="add pocketsphinx to --quick (slow: ~1x real time, ~15 min here)")
    ap.add_argument("--only", default="",
                    help="comma-separated: run only systems whose name contains one of these")
    ap.add_argument("--threads", default="", help="comma-separated thread counts (1; --full 1,2)")
    ap.add_argument("--beams", default="", help="comma-separated beam sizes (1; --full 1,5)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs per system; times are each file's fastest (texts: the first run)")
    ap.add_argument("--out", type=Path, default=HERE / "results")
    a = ap.parse_args()

    for p in ("int8", "f32"):
        if not earshot_model(p).exists():
            sys.exit(f"missing {earshot_model(p)}: run tools/fetch_models.py (see docs/models.md)")
    utts = all_sets(a.cache, a.seed, voices_per_text=3 if a.full else 1)
    files = [u.path for u in utts]
    durations = {u.path: u.duration for u in utts}
    audio_s = sum(durations.values())
    print(f"{len(files)} files, {audio_s:.0f} s of audio; earshot: {a.earshot}", flush=True)

    threads = [int(x) for x in a.threads.split(",")] if a.threads else [1, 2] if a.full else [1]
    beams = [int(x) for x in a.beams.split(",")] if a.beams else [1, 5] if a.full else [1]
    only = [x for x in a.only.split(",") if x]
    chosen = [s for s in systems(a.full, not a.no_peers, threads, beams,
                                 a.full or a.pocketsphinx)
              if not only or any(x in s.name for x in only)]
    runs = {}
    # Repeats go round all systems, so that each system's runs are spread over the same time
    # span as the others' (the machine is shared); each file keeps its fastest time.
    for rep in range(a.repeat):
        for s in chosen:
            t0 = time.time()
            run = run_system(s, a.earshot, files, durations)
            if s in runs:
                first = runs[s]
                first.secs = {f: min(t, run.secs[f]) for f, t in first.secs.items()}
                first.wall_s = min(first.wall_s, run.wall_s)
                first.peak_rss_mb = max(first.peak_rss_mb, run.peak_rss_mb)
                first.loadavg = (min(first.loadavg[0], run.loadavg[0]),
                                 max(first.loadavg[1], run.loadavg[1]))
            else:
                runs[s] = run
            r = score(run, utts)
            print(f"{s.name:32s} WER all {r['wer_all']:6.2f}%  transcribe "
                  f"{r['transcribe_s']:6.1f} s  process {r['wall_s']:6.1f} s  RSS "
                  f"{r['peak_rss_mb']:5.0f} MB  cmd {r['command_latency_ms']:5.0f} ms  load avg "
                  f"{run.loadavg[0]:.1f}->{run.loadavg[1]:.1f}  ({time.time() - t0:.0f} s)",
                  flush=True)
    rows = {s: score(run, utts) for s, run in runs.items()}

    tab, tgt = table(rows), targets(rows)
    cmd = "~/.cache/earshot/venv/bin/python " + " ".join(shlex.quote(x) for x in sys.argv)
    header = (f"Command: `{cmd}`  \n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
              f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
              f"{len(files)} files ({audio_s:.0f} s of audio)")
    print("\n" + tab + "\n\n" + "\n".join(tgt))
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "table.md").write_text(header + "\n\n" + tab + "\n\n" +
                                    "\n".join(f"- {t}" for t in tgt) + "\n")
    (a.out / "results.json").write_text(json.dumps(
        {"command": cmd, "files": len(files), "audio_s": audio_s,
         "refs": {u.path: u.ref for u in utts},
         "systems": list(rows.values()), "targets": tgt}, indent=1))
    print(f"\nwrote {a.out / 'table.md'} and {a.out / 'results.json'}")


if __name__ == "__main__":
    main()
