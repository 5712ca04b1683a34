"""The clean stage: one raw `Document` → an `Analysis` whose `article` holds the cleaned text.

Every character offset later in the pipeline refers to the text made here, so cleaning is
deliberately modest: it takes the main text out of HTML and markdown, normalises line
breaks and invisible characters, removes boilerplate lines listed in the phrase files, and
otherwise leaves the reporting character for character as it came. What it takes out is
listed in `article.removed`. The publication date is looked for before boilerplate removal,
because a date header (`date 2021-12`) is itself removed as metadata.

The language is not known yet (it is detected on the cleaned text), so the phrase files of
every language in `settings.languages` are applied together.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit

from sitrep.clean import boilerplate, html, published
from sitrep.errors import Code
from sitrep.models import Analysis, Article, Document, Removed
from sitrep.settings import Settings

__all__ = ["PROVIDES", "REQUIRES", "article_id", "run"]

REQUIRES = ("document",)
PROVIDES = ("article",)
STAGE = "clean"

# Invisible characters that split words for every later stage: BOM, soft hyphen (common in
# German news sites' HTML), zero-width space and joiners.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u00ad\u200b\u200c\u200d\u2060"))
_TITLE_MAX = 150


def run(document: Document, settings: Settings) -> Analysis:
    """Clean one document; problems are recorded on the article, never raised."""
    findings: list[tuple[Code, str]] = []
    removed: list[Removed] = []
    title, url, site = document.title, document.url, document.site
    metadata_dates = [document.date]
    if document.format == "html":
        page = html.extract(document.content, url=document.url)
        raw, findings = page.text, page.findings
        title, url, site = title or page.title, url or page.url, site or page.site
        metadata_dates.append(page.date)
    elif document.format == "markdown":
        raw, front = _from_markdown(document.content, removed)
        title = title or front.get("title")
        url = url or front.get("url")
        metadata_dates.append(front.get("date"))
    else:
        raw = document.content
    raw = _normalise(raw)
    publication, date_findings = published.find(raw, metadata_dates, settings)
    text, stripped = boilerplate.strip(raw, boilerplate.load(settings.languages))
    removed += stripped
    if not text and not any(code == Code.NO_MAIN_TEXT for code, _ in findings):
        findings.append((Code.NO_MAIN_TEXT, "nothing left after cleaning"))
    article = Article(
        id=article_id(text),
        source=document.key,
        title=_clean_title(title) or _title_from_text(text),
        published=publication,
        text=text,
        url=url,
        site=site or _site_from_url(url),
        removed=removed,
        warnings=[warning.model_copy() for warning in document.warnings],
    )
    analysis = Analysis(article=article)
    for code, message in [*findings, *date_findings]:
        analysis.warn(STAGE, code, message)
    return analysis


def article_id(text: str) -> str:
    """First 16 hex digits of the SHA-256 of the cleaned text: the same text, the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _normalise(text: str) -> str:
    """Unix line breaks, NFC (so "ü" is one character however it came), no invisibles."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    return unicodedata.normalize("NFC", text)


def _clean_title(title: str | None) -> str | None:
    """A title on one line with single spaces; None when there is nothing to it."""
    if title is None:
        return None
    return " ".join(title.split()) or None


def _title_from_text(text: str) -> str | None:
    """The first paragraph when it reads as a headline: one short line, no final period,
    with more text after it. A caption or a lead paragraph is not taken."""
    first, sep, rest = text.partition("\n\n")
    first = first.strip()
    if not sep or not rest.strip() or "\n" in first or len(first) > _TITLE_MAX:
        return None
    if len(first.split()) < 2 or first[-1] in ".,;:!":
        return None
    return first


def _site_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


# Markdown: front matter, then syntax that is markup rather than words.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.{0,4000}?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_FRONT_FIELDS = {"title": "title", "headline": "title", "date": "date", "published": "date",
                 "url": "url", "link": "url"}  # fmt: skip
_MD_IMAGE = re.compile(r"!\[[^\]\n]{0,500}\]\([^)\n]{0,1000}\)")
_MD_LINK = re.compile(r"\[([^\]\n]{1,500})\]\([^)\s]{1,1000}(?:\s+\"[^\"\n]{0,200}\")?\)")
_MD_LINE_MARK = re.compile(r"^(?:#{1,6}[ \t]+|>[ \t]?)", re.MULTILINE)
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)([^\n]{1,500}?\S)\1")
_MD_TITLE = re.compile(r"^#[ \t]+([^\n]{1,300}?)[ \t#]*$", re.MULTILINE)
_MD_COMMENT = re.compile(r"<!--.{0,5000}?-->", re.DOTALL)


def _from_markdown(content: str, removed: list[Removed]) -> tuple[str, dict[str, str]]:
    """Plain text of a markdown document and the fields of its front matter.

    Only unambiguous syntax goes: heading and quote marks, bold markers, link targets,
    images and comments. Single `*`/`_` stay, since German writes `Zivilist*innen`.
    """
    front: dict[str, str] = {}
    content = _normalise(content)
    match = _FRONT_MATTER.match(content)
    if match:
        removed.append(Removed(text=match.group().strip(), reason="metadata"))
        for key, value in _FRONT_KEY.findall(match.group(1)):
            name = _FRONT_FIELDS.get(key.lower())
            if name and value.strip("'\" ") and name not in front:
                front[name] = value.strip("'\" ")
        content = content[match.end() :]
    for pattern in (_MD_COMMENT, _MD_IMAGE):
        for item in pattern.findall(content):
            removed.append(Removed(text=item, reason="markup"))
        content = pattern.sub("", content)
    if "title" not in front:
        heading = _MD_TITLE.search(content)
        if heading:
            front["title"] = heading.group(1)
    content = _MD_LINK.sub(r"\1", content)
    content = _MD_STRONG.sub(r"\2", content)
    return _MD_LINE_MARK.sub("", content), front
