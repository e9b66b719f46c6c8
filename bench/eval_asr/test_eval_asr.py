"""Quick checks of the ASR evaluation's own parts (seconds; registered in tests/asr as
eval_asr_parts): the Whisper normaliser on strings whose normal form OpenAI's normaliser
gives, WER on known pairs, the testdata references and .raw conversion, one espeak-ng clip's
length (16 kHz resampling), 10 dB SNR mixing, the peak-RSS measurement, and earshot's JSON
read back by the runner on goforward.raw (skipped without the CLI or the model)."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import datasets  # noqa: E402
import make_tts_set  # noqa: E402
from normalize import normalize  # noqa: E402
from report import wer  # noqa: E402
from systems import Run, System, _run_measured, earshot_model, run_earshot  # noqa: E402

# Whisper's EnglishTextNormalizer on these (whisper/normalizers/english.py behaviour).
NORMALISED = {
    "Turn on the kitchen lights.": "turn on the kitchen lights",
    "Set the thermostat to twenty-one degrees": "set the thermostat to 21 degrees",
    "Mr. John Dashwood": "mister john dashwood",
    "It's 50% off, colour!": "it is 50% off color",
    "Wake me up at 7:30 tomorrow": "wake me up at 7 30 tomorrow",
    "two nine three four zero": "29340",
    "Um, ten of clubs": "10 of clubs",
    "  [Music] Hello   world ": "hello world",
}


def main() -> int:
    fails = []

    def check(cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            fails.append(what)

    for text, want in NORMALISED.items():
        got = normalize(text)
        check(got == want, f"normalize({text!r}) = {got!r}, want {want!r}")

    utts = [datasets.Utterance(f"u{i}", ref, "tts_clean", "command", 2.0)
            for i, ref in enumerate(["turn on the lights", "lock the front door"])]
    run = Run(System("earshot", "int8"), [], {"u0": "Turn on the light.", "u1": ""}, {}, 0, 0)
    w = wer(run, utts)  # 1 substitution + 4 deletions over 8 words
    check(abs(w - 62.5) < 1e-9, f"WER {w} == 62.5")

    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        td = datasets.testdata(cache)
        by_name = {Path(u.path).name: u for u in td}
        check(len(td) == 12, f"12 testdata utterances with references ({len(td)})")
        g = by_name.get("goforward.wav")
        check(g is not None and g.ref == "go forward ten meters"
              and abs(g.duration - 89160 / 2 / 16000) < 1e-6, f"goforward.raw as WAV: {g}")
        c = by_name.get("005.wav")
        check(c is not None and c.ref == "eight of spades four of clubs seven of hearts",
              f"cards/005 reference: {c}")

    x = make_tts_set.speak("turn on the kitchen lights", "en-us", 160, 50)
    check(1.3 < len(x) / 16000 < 2.4, f"espeak-ng clip at 16 kHz: {len(x) / 16000:.2f} s")
    rng = np.random.default_rng(0)
    p = make_tts_set.pink(1 << 16, rng)
    spec = np.abs(np.fft.rfft(p)) ** 2
    lo, hi = spec[10:100].mean(), spec[10000:20000].mean()
    check(lo > 20 * hi, f"pink noise: low/high band power {lo / hi:.0f} > 20")

    speech = (0.3 * np.sin(np.arange(32000) * 0.05)).astype(np.float32)
    clean = np.concatenate([np.zeros(4000, np.float32), speech, np.zeros(4000, np.float32)])
    nz = rng.standard_normal(len(clean)).astype(np.float32)
    mixed = make_tts_set.mix_at_snr(clean, speech, nz, 10.0)
    # (peak 0.3 + noise stays under the 0.95 clip guard, so the mix is not rescaled)
    snr = 10 * np.log10(np.mean(speech.astype(np.float64) ** 2) /
                        np.mean((mixed.astype(np.float64) - clean) ** 2))
    check(abs(snr - 10.0) < 0.1, f"noise mixed at {snr:.2f} dB SNR (10)")

    _, _, _, rss = _run_measured([sys.executable, "-c", "b = bytearray(200 << 20)"])
    check(200 < rss < 400, f"peak RSS of a child holding 200 MB: {rss:.0f} MB")
    try:
        _run_measured([sys.executable, "-c", "raise SystemExit(3)"])
        check(False, "a failing child raises")
    except RuntimeError as e:
        check("exited 3" in str(e), f"a failing child raises: {e}")

    binary = os.environ.get("EARSHOT_BIN", "")
    if binary and Path(binary).exists() and earshot_model("int8").exists():
        with tempfile.TemporaryDirectory() as tmp:
            g = [u for u in datasets.testdata(Path(tmp)) if u.path.endswith("goforward.wav")][0]
            r = run_earshot(binary, System("earshot", "int8"), [g.path], {g.path: g.duration})
            text = normalize(r.texts[g.path])
            check(wer(r, [g]) <= 25.0, f"earshot on goforward.raw: {text!r}")
            check(0 < r.secs[g.path] < r.wall_s and r.peak_rss_mb > 10,
                  f"earshot timing {r.secs[g.path]:.2f} s of {r.wall_s:.2f} s, "
                  f"RSS {r.peak_rss_mb:.0f} MB")
    else:
        print("skip earshot run: no EARSHOT_BIN or no whisper-tiny.en.int8.esm")
    print(f"{len(fails)} failed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
