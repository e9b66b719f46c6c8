"""Converters from the packaged pretrained models to the earshot model format (.esm).

One module per source; each has `convert(...)` (returns the written paths) and a command line
(`python -m convert.<module> --help`, with PYTHONPATH=tools). tools/fetch_models.py runs them.
"""
