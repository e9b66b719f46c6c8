"""NumPy implementation of Whisper's log-mel spectrogram, written from its description, used
as the reference for earshot's C++ Whisper frontend (features/whisper/).

Algorithm (openai-whisper's log_mel_spectrogram): audio float in [-1, 1] at 16 kHz; STFT with
n_fft 400, hop 160, periodic Hann window, center=True with reflect padding of 200 samples at
both ends; power |STFT|^2 with the last frame dropped; 80 Slaney-style mel filters (librosa's
default: htk=False, norm="slaney"); log10(max(x, 1e-10)); x = max(x, x.max() - 8); (x + 4) / 4.

Usage as a script: whisper_mel_ref.py AUDIO.(raw|wav) OUT.npy  -> float32 [frames, 80].
"""
import sys

import numpy as np

SAMPLE_RATE = 16000
N_FFT = 400
HOP = 160
N_MELS = 80

_F_SP = 200.0 / 3.0
_MIN_LOG_HZ = 1000.0
_MIN_LOG_MEL = _MIN_LOG_HZ / _F_SP
_LOG_STEP = np.log(6.4) / 27.0


def hz_to_mel(hz):
    hz = np.asarray(hz, dtype=np.float64)
    mel = hz / _F_SP
    log_part = _MIN_LOG_MEL + np.log(np.maximum(hz, 1e-300) / _MIN_LOG_HZ) / _LOG_STEP
    return np.where(hz >= _MIN_LOG_HZ, log_part, mel)


def mel_to_hz(mel):
    mel = np.asarray(mel, dtype=np.float64)
    hz = mel * _F_SP
    log_part = _MIN_LOG_HZ * np.exp(_LOG_STEP * (mel - _MIN_LOG_MEL))
    return np.where(mel >= _MIN_LOG_MEL, log_part, hz)


def slaney_mel_filters(sr=SAMPLE_RATE, n_fft=N_FFT, n_mels=N_MELS):
    """[n_mels, n_fft // 2 + 1] float64, as librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels)."""
    fft_hz = np.linspace(0.0, sr / 2.0, n_fft // 2 + 1)
    edges = mel_to_hz(np.linspace(0.0, hz_to_mel(sr / 2.0), n_mels + 2))
    lo, mid, hi = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    up = (fft_hz[None, :] - lo) / (mid - lo)
    down = (hi - fft_hz[None, :]) / (hi - mid)
    weights = np.maximum(0.0, np.minimum(up, down))
    return weights * (2.0 / (hi - lo))


def log10_mel(audio):
    """Per-frame log10 mel before the clip-wide clamp: [frames, 80] float64."""
    audio = np.asarray(audio, dtype=np.float64)
    pad = N_FFT // 2
    if audio.size <= pad:
        raise ValueError(f"clip of {audio.size} samples is too short for reflect padding")
    padded = np.pad(audio, pad, mode="reflect")
    n_frames = 1 + (padded.size - N_FFT) // HOP
    idx = np.arange(N_FFT)[None, :] + HOP * np.arange(n_frames)[:, None]
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(N_FFT) / N_FFT)  # periodic Hann
    spectrum = np.fft.rfft(padded[idx] * window, axis=1)
    power = (np.abs(spectrum) ** 2)[:-1]  # Whisper drops the last frame
    mel = power @ slaney_mel_filters().T
    return np.log10(np.maximum(mel, 1e-10))


def log_mel_spectrogram(audio):
    """Whisper's normalised log-mel: [frames, 80] float64."""
    x = log10_mel(audio)
    x = np.maximum(x, x.max() - 8.0)
    return (x + 4.0) / 4.0


def load_16k_int16(path):
    """Audio as float in [-1, 1]: .raw is headerless s16le 16 kHz mono; others via soundfile."""
    if path.endswith(".raw"):
        pcm = np.fromfile(path, dtype="<i2")
    else:
        import soundfile

        pcm, sr = soundfile.read(path, dtype="int16", always_2d=True)
        if sr != SAMPLE_RATE or pcm.shape[1] != 1:
            raise ValueError(f"{path}: expected 16 kHz mono, got {sr} Hz x {pcm.shape[1]}")
        pcm = pcm[:, 0]
    return pcm.astype(np.float64) / 32768.0


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    np.save(argv[2], log_mel_spectrogram(load_16k_int16(argv[1])).astype(np.float32))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
