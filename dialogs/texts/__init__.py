"""Catalogues of user-facing texts, one per language; Dutch is the default.

Each language is a folder of YAML files (one per area: ``common.yml``, ``teacher.yml``, ...)
with flat dotted keys. ``t(lang, key, **params)`` formats with ``str.format``. Both catalogues
must hold the same keys (a test checks it).
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
_DIR = Path(__file__).parent


@cache
def catalogue(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((_DIR / lang).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in data.items():
            if key in merged:
                raise ValueError(f"duplicate text key {key!r} in {path}")
            merged[str(key)] = str(value)
    return merged


@lru_cache(maxsize=256)
def language(lang: str | None) -> str:
    """Normalise a language hint ("en-US", "NL") to a supported language."""
    if lang:
        short = lang.strip().lower()[:2]
        if short in LANGUAGES:
            return short
    return DEFAULT_LANGUAGE


def t(lang: str | None, key: str, **params: Any) -> str:
    cat = catalogue(language(lang))
    template = cat.get(key)
    if template is None:
        template = catalogue(DEFAULT_LANGUAGE)[key]  # KeyError: a missing text is a bug
    return template.format(**params) if params else template
