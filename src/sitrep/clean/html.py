"""Main text and metadata (title, date, site, URL) from an HTML page, through trafilatura.

trafilatura is the strongest open extractor on public benchmarks (DESIGN §4); this module
only adapts it to Sitrep: comments are left out (a reader's comment is not the article),
paragraphs come back separated by blank lines like every other text Sitrep reads, and a
page it cannot read gives an empty text and a coded problem instead of an exception, so
one broken page never stops a batch. The pipeline decides what to do with an empty article.

The date is read from the page's own metadata only (meta tags, JSON-LD, `<time>`, the URL)
with htmldate's extensive search switched off: scanning the page's text for any date would
pass a date the article merely mentions off as metadata. Dates in the text are the business
of `published.py`, which knows where a publication date sits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import trafilatura

from sitrep.errors import Code

Finding = tuple[Code, str]
# An element 250 levels down: libxml2 stops building the tree at 256, so the page may have
# lost text below that (a path query visits each element once, ~1 ms on a large page).
_TOO_DEEP = "boolean(/" + "/".join(["*"] * 250) + ")"


@dataclass
class Page:
    """What an HTML page gave: main text (may be empty) and the metadata it declared."""

    text: str = ""
    title: str | None = None
    date: str | None = None
    site: str | None = None
    url: str | None = None
    findings: list[Finding] = field(default_factory=list)


def extract(content: str, url: str | None = None) -> Page:
    """Main text and metadata of `content`; never raises on malformed HTML."""
    # trafilatura rejects input that does not say "html" near its start when it parses to a
    # single element: wrap fragments (an RSS item's body) so they are read, not dropped.
    if "html" not in content[:50].lower():
        content = f"<html><body>{content}</body></html>"
    try:
        tree = trafilatura.load_html(content)
    except Exception as exc:  # lxml raises on some byte soups; record it, don't stop
        return Page(findings=[(Code.NO_MAIN_TEXT, f"HTML could not be parsed: {exc!r}"[:200])])
    if tree is None:
        return Page(findings=[(Code.NO_MAIN_TEXT, "HTML could not be parsed")])
    page = Page()
    try:
        # bare_extraction works on a copy of the tree, so metadata still sees the whole page
        extracted = trafilatura.bare_extraction(tree, url=url, include_comments=False)
        meta = trafilatura.extract_metadata(tree, default_url=url, extensive=False)
    except Exception as exc:  # a bug deep in an extractor must not stop the batch
        page.findings.append((Code.NO_MAIN_TEXT, f"HTML extraction failed: {exc!r}"[:200]))
        return page
    page.text = _paragraphs(extracted.text if extracted is not None else None)
    if not page.text or tree.xpath(_TOO_DEEP):
        flat = flat_text(content)
        if len(flat) > len(page.text):
            page.text = flat
            page.findings.append(
                (Code.FLAT_TEXT, "main text not isolated in the HTML; kept all of the page's text")
            )
    if not page.text:
        page.findings.append((Code.NO_MAIN_TEXT, "no main text found in the HTML"))
    page.title = meta.title or None
    page.date = meta.date or None
    page.url = meta.url or url
    page.site = meta.sitename or meta.hostname or None
    return page


def _paragraphs(text: str | None) -> str:
    """One paragraph per line from trafilatura → paragraphs separated by a blank line."""
    if not text:
        return ""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


class _TextCollector(HTMLParser):
    """Text of a page read as a flat stream of tags, so nesting depth does not matter
    (libxml2 stops building the tree 256 levels down and trafilatura sees nothing)."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg"})
    _BLOCK = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def flat_text(content: str) -> str:
    """All visible text of a page, one paragraph per block element: the fallback where
    the extractor finds no main text. Only paragraphs of a sentence's length count, so a
    page of menus and buttons still gives nothing."""
    collector = _TextCollector()
    collector.feed(content)
    collector.close()
    lines = " ".join("".join(collector.parts).split(" ")).splitlines()
    paragraphs = [" ".join(line.split()) for line in lines]
    kept = [p for p in paragraphs if len(p) >= 40 and " " in p]
    return "\n\n".join(kept)
