"""The setup's fetch-models step: converts the pretrained models shipped by the installed Python
packages into earshot model files in <cache>/models/ (see docs/models.md).

A model whose file already exists, reads back cleanly, and records the same source sha256,
package version and converter as what is installed now is left alone, so a second run takes
about a second. Each file is written under a temporary name and renamed into place.

    PYTHONPATH=tools python tools/fetch_models.py --cache ~/.cache/earshot [--force] [--only NAME]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from convert import micro_wakeword, silero_vad, whisper_ct2
from convert.common import ConversionError, package_file, source_record
from earshot_model import ModelError, read_model


class Job:
    """One converter run: the package file it reads and the model files it writes."""

    def __init__(self, name, package, module, relpath, converter, outputs, run):
        self.name, self.package, self.module, self.relpath = name, package, module, relpath
        self.converter, self.outputs, self.run = converter, outputs, run


def jobs(models_dir: str) -> list:
    out = [Job("silero-vad-v6", silero_vad.PACKAGE, silero_vad.MODULE, silero_vad.RELPATH,
               silero_vad.CONVERTER, ["silero-vad-v6.f32.esm", "silero-vad-v6.int8.esm"],
               lambda: silero_vad.convert(models_dir))]
    for kw in micro_wakeword.BUILTIN_MODELS:
        out.append(Job(f"kws-{kw}", micro_wakeword.PACKAGE, micro_wakeword.MODULE,
                       f"models/{kw}.tflite", micro_wakeword.CONVERTER, [f"kws-{kw}.esm"],
                       lambda kw=kw: micro_wakeword.convert(models_dir, [kw])))
    out.append(Job("whisper-tiny.en", whisper_ct2.PACKAGE, whisper_ct2.MODULE, whisper_ct2.REL,
                   whisper_ct2.CONVERTER,
                   ["whisper-tiny.en.f32.esm", "whisper-tiny.en.int8.esm"],
                   lambda: whisper_ct2.convert(models_dir)))
    return out


def up_to_date(path: str, source: dict, converter: str) -> str | None:
    """None when `path` is a valid model converted from `source` by `converter`, else why not."""
    if not os.path.exists(path):
        return "missing"
    try:
        meta = read_model(path).metadata
    except ModelError as e:
        return f"unreadable ({e})"
    if meta["source"] != source:
        return "source changed"
    if meta["converter"] != converter:
        return "converter changed"
    return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", default=os.environ.get("EARSHOT_CACHE",
                                                      os.path.expanduser("~/.cache/earshot")))
    ap.add_argument("--force", action="store_true", help="convert even when up to date")
    ap.add_argument("--only", action="append", help="convert only this model (repeatable)")
    args = ap.parse_args(argv)
    models_dir = os.path.join(args.cache, "models")
    os.makedirs(models_dir, exist_ok=True)
    failed = 0
    for job in jobs(models_dir):
        if args.only and job.name not in args.only:
            continue
        try:
            path = package_file(job.package, job.module, job.relpath)
            source = source_record(job.package, job.module, job.relpath, path)
            paths = [os.path.join(models_dir, o) for o in job.outputs]
            reasons = [up_to_date(p, source, job.converter) for p in paths]
            if not args.force and not any(reasons):
                for p in paths:
                    print(f"fetch-models: {os.path.basename(p):28s} up to date "
                          f"({os.path.getsize(p) / 1e6:.1f} MB, {job.package} {source['version']})")
                continue
            why = "forced" if args.force else next(r for r in reasons if r)
            start = time.perf_counter()
            written = job.run()
            seconds = time.perf_counter() - start
            for p in written:
                print(f"fetch-models: {os.path.basename(p):28s} converted in {seconds:.1f} s "
                      f"({os.path.getsize(p) / 1e6:.1f} MB, {job.package} {source['version']}; "
                      f"{why})")
        except (ConversionError, ModelError, OSError) as e:
            print(f"fetch-models: {job.name}: error: {e}", file=sys.stderr)
            failed += 1
    failed += install_committed_nlu(models_dir)
    return 1 if failed else 0


def install_committed_nlu(models_dir: str) -> int:
    """Copies the NLU model trained by this project (models/nlu, committed) beside the others,
    so that one models folder holds everything the pipeline opens. Returns 1 on failure."""
    src_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models", "nlu")
    for name in ("nlu-int8.esm", "nlu-f32.esm"):
        src, dst = os.path.join(src_dir, name), os.path.join(models_dir, name)
        try:
            with open(src, "rb") as f:
                data = f.read()
            if os.path.exists(dst) and open(dst, "rb").read() == data:
                print(f"fetch-models: {name:28s} up to date (committed in models/nlu)")
                continue
            tmp = dst + ".tmp"
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, dst)
            print(f"fetch-models: {name:28s} copied from models/nlu ({len(data) / 1e6:.1f} MB)")
        except OSError as e:
            print(f"fetch-models: {name}: error: {e}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
