"""What every converter shares: locating a file inside an installed package, its provenance
record for the metadata, and the error type a converter raises for input it does not understand."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import sys

from earshot_model import file_sha256


class ConversionError(Exception):
    """Input a converter does not understand; the message names the file and the problem."""


def package_file(package: str, module: str, relpath: str) -> str:
    """Absolute path of `relpath` inside the installed import package `module` (of the
    distribution `package`); raises ConversionError when it is not installed."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ConversionError(f"package {package} ({module}) is not installed in {sys.prefix}")
    path = os.path.join(list(spec.submodule_search_locations)[0], relpath)
    if not os.path.isfile(path):
        raise ConversionError(f"{package} does not ship {relpath} (looked at {path})")
    return path


def source_record(package: str, module: str, relpath: str, path: str | None = None) -> dict:
    """The metadata `source` object: package, version, file (relative to the import package's
    parent, e.g. faster_whisper/assets/silero_vad_v6.onnx) and sha256 of the file."""
    path = path or package_file(package, module, relpath)
    try:
        version = importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return {"package": package, "version": version, "file": f"{module}/{relpath}",
            "sha256": file_sha256(path)}


def read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise ConversionError(f"{path}: cannot read ({e.strerror})") from None


def run_cli(main) -> None:
    """Runs a converter's main(); a ConversionError becomes 'error: ...' and exit status 2."""
    try:
        rc = main()
    except ConversionError as e:
        print(f"error: {e}", file=sys.stderr)
        rc = 2
    raise SystemExit(rc or 0)
