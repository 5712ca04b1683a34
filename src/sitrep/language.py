"""Which language each article is in, offline, restricted to the configured languages.

Lingua is restricted to `settings.languages` plus a few widely published languages, so
that a French or Arabic article is reported as such ("unsupported") instead of being
forced into English or German. Mixed articles (a German report with an English quote
block) are flagged when a sizeable share of their paragraphs is in another language.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

from sitrep.errors import Code
from sitrep.models import Analysis
from sitrep.settings import Settings

REQUIRES = ("article.text",)
PROVIDES = ("article.language",)

# Recognised so they can be reported, even when Sitrep does not analyse them (yet).
SENTINELS = ("ar", "es", "fa", "fr", "it", "nl", "pt", "ru", "tr")
MIN_CONFIDENCE = 0.5
MIXED_SHARE = 0.2
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@lru_cache(maxsize=4)
def detector(languages: tuple[str, ...]) -> LanguageDetector:
    """A Lingua detector for these ISO 639-1 codes plus the sentinels (built once per set)."""
    codes = []
    for code in sorted(set(languages) | set(SENTINELS)):
        iso = getattr(IsoCode639_1, code.upper(), None)
        if iso is not None:
            codes.append(iso)
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()


def identify(text: str, languages: tuple[str, ...]) -> tuple[str | None, float]:
    """The most likely language of `text` and its confidence (None when it has no letters)."""
    sample = text[:20_000]
    if len(_LETTERS.findall(sample[:2000])) < 3:
        return None, 0.0
    values = detector(languages).compute_language_confidence_values(sample)
    if not values:
        return None, 0.0
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), best.value


def _paragraph_languages(text: str, languages: tuple[str, ...]) -> dict[str, int]:
    """Characters per detected language over paragraphs long enough to judge (none when
    there is only one such paragraph: the article's own language is already known)."""
    shares: dict[str, int] = {}
    paragraphs = [paragraph for paragraph in text.split("\n") if len(paragraph) >= 80]
    if len(paragraphs) < 2:
        return shares
    for paragraph in paragraphs:
        code, confidence = identify(paragraph, languages)
        if code is not None and confidence >= MIN_CONFIDENCE:
            shares[code] = shares.get(code, 0) + len(paragraph)
    return shares


def run(analysis: Analysis, settings: Settings) -> Analysis:
    """Set `article.language`, warning when it is unknown, unsupported, mixed or overridden."""
    article = analysis.article
    code, confidence = identify(article.text, settings.languages)
    if settings.forced_language is not None:
        if code is not None and confidence >= 0.9 and code != settings.forced_language:
            analysis.warn(
                "language",
                Code.LANGUAGE_MISMATCH,
                f"language forced to {settings.forced_language}, but the text reads "
                f"as {code} ({confidence:.0%})",
            )
        article.language = settings.forced_language
        return analysis
    if code is None or confidence < MIN_CONFIDENCE:
        article.language = None
        analysis.warn(
            "language",
            Code.LANGUAGE_UNKNOWN,
            "language could not be identified"
            + (f" (best guess {code} at {confidence:.0%})" if code else " (no words)"),
        )
        return analysis
    article.language = code
    if code not in settings.languages:
        analysis.warn(
            "language",
            Code.LANGUAGE_UNSUPPORTED,
            f"language {code} is not among the analysed languages "
            f"({', '.join(settings.languages)}); language-specific stages skip it",
        )
        return analysis
    shares = _paragraph_languages(article.text, settings.languages)
    total = sum(shares.values())
    others = {lang: n for lang, n in shares.items() if lang != code and n / total >= MIXED_SHARE}
    if others:
        listed = ", ".join(f"{lang} {n / total:.0%}" for lang, n in sorted(others.items()))
        analysis.warn(
            "language", Code.LANGUAGE_MIXED, f"mixed-language text: mostly {code}, also {listed}"
        )
    return analysis
