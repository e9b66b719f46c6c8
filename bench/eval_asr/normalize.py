"""Text normalisation for WER: Whisper's English normaliser (OpenAI's EnglishTextNormalizer,
as packaged by the pinned PyPI package whisper-normalizer): lower case, punctuation and
fillers removed, British spellings to American, spelled-out numbers to digits
("twenty one" -> "21"), contractions expanded ("it's" -> "it is")."""
from functools import lru_cache

from whisper_normalizer.english import EnglishTextNormalizer


@lru_cache(maxsize=1)
def _normalizer() -> EnglishTextNormalizer:
    return EnglishTextNormalizer()


def normalize(text: str) -> str:
    """Whisper-normalised text, single-spaced, no leading/trailing space."""
    return " ".join(_normalizer()(text).split())
