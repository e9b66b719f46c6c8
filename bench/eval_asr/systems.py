"""The recognisers compared by eval_asr.py, each run once over all files in its own process:
wall time and peak RSS (ru_maxrss from wait4) are that process's own, and every file's own
transcription time is taken with the model already loaded (earshot: its JSON `rtf` x the
clip's duration; the peers: a clock around each call, see peers.py)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODELS = Path(os.environ.get("EARSHOT_MODELS", Path.home() / ".cache/earshot/models"))


@dataclass(frozen=True)
class System:
    family: str  # earshot, faster-whisper, pocketsphinx
    precision: str = ""  # earshot: int8/f32; faster-whisper: int8/float32
    threads: int = 1
    beam: int = 1
    full_windows: bool = False  # earshot: pad short clips to 30 s as faster-whisper does

    @property
    def name(self) -> str:
        if self.family == "pocketsphinx":
            return "pocketsphinx en-us"
        s = f"{self.family} {self.precision} t{self.threads} b{self.beam}"
        return s + (" 30s" if self.full_windows else "")


@dataclass
class Run:
    system: System
    command: list[str]
    texts: dict[str, str]  # path -> text
    secs: dict[str, float]  # path -> transcription time, model loaded
    wall_s: float  # the whole process: start, model load, reading files, transcription
    peak_rss_mb: float
    load_s: float | None = None
    loadavg: tuple = field(default_factory=tuple)  # 1-minute load before and after


def _run_measured(argv: list[str]) -> tuple[str, str, float, float]:
    """Runs argv; returns stdout, stderr, wall seconds and the child's peak RSS in MB."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode(errors="replace")
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:6])} ... exited {p.returncode}:\n{stderr[-2000:]}")
    return stdout, stderr, wall, usage.ru_maxrss / 1024.0  # Linux: kilobytes


def earshot_model(precision: str) -> Path:
    return MODELS / f"whisper-tiny.en.{precision}.esm"


def run_earshot(binary: str, s: System, files: list[str], durations: dict[str, float]) -> Run:
    argv = [binary, "transcribe", "--model", str(earshot_model(s.precision)), "--beam",
            str(s.beam), "--threads", str(s.threads), "--no-progress", "--format", "json"]
    if s.full_windows:
        argv.append("--full-windows")
    before = os.getloadavg()[0]
    stdout, stderr, wall, rss = _run_measured(argv + files)
    lines = [line for line in stdout.splitlines() if line.strip()]
    if len(lines) != len(files):
        raise RuntimeError(f"earshot printed {len(lines)} results for {len(files)} files:\n"
                           f"{stderr[-2000:]}")
    texts, secs = {}, {}
    for f, line in zip(files, lines):
        j = json.loads(line)
        texts[f] = j["text"].strip()
        secs[f] = j["rtf"] * durations[f]
    return Run(s, argv + ["FILES..."], texts, secs, wall, rss,
               loadavg=(before, os.getloadavg()[0]))


def run_peer(s: System, files: list[str]) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        lst, out = Path(tmp) / "files.txt", Path(tmp) / "out.json"
        lst.write_text("\n".join(files) + "\n")
        argv = [sys.executable, str(HERE / "peers.py"), s.family]
        if s.family == "faster-whisper":
            argv += ["--compute", s.precision, "--threads", str(s.threads), "--beam", str(s.beam)]
        argv += ["--list", str(lst), "--out", str(out)]
        before = os.getloadavg()[0]
        _, _, wall, rss = _run_measured(argv)
        r = json.loads(out.read_text())
    texts = {i["path"]: i["text"] for i in r["items"]}
    secs = {i["path"]: i["secs"] for i in r["items"]}
    shown = [Path(argv[0]).name, "bench/eval_asr/peers.py"] + argv[2:-4] + ["--list", "FILES"]
    return Run(s, shown, texts, secs, wall, rss, r["load_s"], (before, os.getloadavg()[0]))


def run_system(s: System, binary: str, files: list[str], durations: dict[str, float]) -> Run:
    if s.family == "earshot":
        return run_earshot(binary, s, files, durations)
    return run_peer(s, files)
