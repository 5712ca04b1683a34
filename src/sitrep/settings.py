"""One typed `Settings` object that every stage receives.

Defaults suit the bundled sample; the CLI maps its options onto these fields, and the
environment can override any of them (`SITREP_LANGUAGES=en,de,fr`, `SITREP_MAX_BYTES=…`).
"""

from __future__ import annotations

import os
from datetime import date
from typing import get_origin

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sitrep.errors import Code, UsageError


class Settings(BaseModel):
    """What a run is allowed to do and how; frozen so worker processes see one truth."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    languages: tuple[str, ...] = Field(
        default=("en", "de"),
        description="ISO 639-1 codes Sitrep analyses; detection is restricted to these "
        "(plus a few common ones it can recognise and report as unsupported).",
    )
    forced_language: str | None = Field(
        default=None, description="Skip detection and treat every article as this language."
    )
    user_date: date | None = Field(
        default=None, description="Publication date to use when an article gives none."
    )
    max_bytes: int = Field(
        default=5_000_000, gt=0, description="Largest article (or file) read; bigger is skipped."
    )
    workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1, ge=1, description="Worker processes."
    )
    batch_size: int = Field(default=32, ge=1, description="Articles committed together.")
    cluster: str | None = Field(
        default=None,
        description="Analyse on Dask workers: a scheduler (tcp://HOST:8786) or local:N.",
    )
    text_fields: tuple[str, ...] = ("text", "body", "content", "article", "maintext")
    title_fields: tuple[str, ...] = ("title", "headline", "heading")
    date_fields: tuple[str, ...] = ("date", "published", "pubdate", "date_publish", "datetime")
    url_fields: tuple[str, ...] = ("url", "link", "href", "source_url")
    # The outlet a record names (ACLED's `source`): "Guardian", "reuters.com".
    site_fields: tuple[str, ...] = ("site", "source", "outlet", "publisher", "source_name")

    @field_validator("languages", mode="before")
    @classmethod
    def _split_languages(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        if isinstance(value, list | tuple):
            codes = tuple(str(part).strip().lower() for part in value)
            if not codes or any(len(code) != 2 or not code.isalpha() for code in codes):
                raise ValueError(f"languages must be ISO 639-1 codes, got {value!r}")
            return codes
        return value

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from `SITREP_*` environment variables, then explicit overrides."""
        values: dict[str, object] = {}
        for name, field in cls.model_fields.items():
            raw = os.environ.get(f"SITREP_{name.upper()}")
            if raw is not None:
                is_list = get_origin(field.annotation) is tuple
                values[name] = [part.strip() for part in raw.split(",")] if is_list else raw
        values.update({key: value for key, value in overrides.items() if value is not None})
        try:
            return cls(**values)
        except ValueError as exc:
            first = exc.errors()[0] if hasattr(exc, "errors") else {"msg": str(exc), "loc": ()}
            where = ".".join(str(part) for part in first.get("loc", ()))
            raise UsageError(Code.BAD_SETTING, f"bad setting {where}: {first['msg']}") from None
