"""HTML ingest: trafilatura extracts the article text, its metadata and the links in the body.

The Document's text is exactly trafilatura's plain-text extraction. To give each body link exact offsets in
that text, the anchors are wrapped in private-use marker characters before trafilatura renders the text, and
the markers are then read off and removed. This is exact where a search for the anchor text would guess
("here" occurs many times). trafilatura drops private-use characters, so the markers are two rare visible
dashes; when the page itself contains them, or the marked rendering differs from the plain one in any other
way, links fall back to an in-order search in the plain text.
"""

from __future__ import annotations

import copy
import logging
from urllib.parse import urljoin

from unspun.document import Document, Link, Metadata
from unspun.errors import InputDataError
from unspun.ingest import nesting
from unspun.ingest.site import page_site

# Fewer extracted words than this is navigation residue ("Home"), not an article.
MIN_ARTICLE_WORDS = 10
_OPEN, _CLOSE = "\u2e3a", "\u2e3b"  # two-em and three-em dash

# trafilatura logs every discarded page as a warning; unspun reports that itself as a data error.
logging.getLogger("trafilatura").setLevel(logging.ERROR)


def _extract(html: str | bytes, url: str | None):
    import trafilatura

    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_links=True,
        include_tables=True,
        deduplicate=False,
    )


def _text_and_links(body, has_markers: bool) -> tuple[str, list[tuple[int, int, str]]]:
    """Render the body as trafilatura's text and return it with (start, end, target) per anchor."""
    from lxml import etree
    from trafilatura.xml import xmltotxt

    plain_body = copy.deepcopy(body)
    anchors = [(ref.get("target") or "", " ".join("".join(ref.itertext()).split())) for ref in plain_body.iter("ref")]
    etree.strip_tags(plain_body, "ref")
    text = xmltotxt(plain_body, False) or ""
    if has_markers or not anchors:
        return text, _search_links(text, anchors)

    marked_body = copy.deepcopy(body)
    for ref in marked_body.iter("ref"):
        ref.text = _OPEN + (ref.text or "")
        if len(ref):
            ref[-1].tail = (ref[-1].tail or "") + _CLOSE
        else:
            ref.text += _CLOSE
    etree.strip_tags(marked_body, "ref")
    marked = xmltotxt(marked_body, False) or ""

    parts: list[str] = []
    links: list[tuple[int, int, str]] = []
    targets = iter(target for target, _ in anchors)
    pos = length = 0
    open_at: int | None = None
    for i, ch in enumerate(marked):
        if ch == _OPEN or ch == _CLOSE:
            parts.append(marked[pos:i])
            length += i - pos
            pos = i + 1
            if ch == _OPEN:
                open_at = length
            elif open_at is not None:
                links.append((open_at, length, next(targets, "")))
                open_at = None
    parts.append(marked[pos:])
    if "".join(parts) != text or len(links) != len(anchors):
        return text, _search_links(text, anchors)
    return text, _trim(text, links)


def _search_links(text: str, anchors) -> list[tuple[int, int, str]]:
    """Fallback: find each anchor text in order after the previous one."""
    links, cursor = [], 0
    for target, anchor in anchors:
        if not anchor:
            continue
        at = text.find(anchor, cursor)
        if at >= 0:
            links.append((at, at + len(anchor), target))
            cursor = at + len(anchor)
    return links


def _trim(text: str, links: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out = []
    for start, end, target in links:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append((start, end, target))
    return out


def _absolute(page_url: str | None, target: str) -> str:
    """A link's target resolved against the page's URL; a target the URL parser refuses ("http://[x/…") as given."""
    if not (page_url and target):
        return target
    try:
        return urljoin(page_url, target)
    except ValueError:
        return target


def from_html(
    html: str | bytes,
    *,
    max_bytes: int,
    source_type: str = "html",
    source_value: str | None = None,
    url: str | None = None,
) -> Document:
    """Make a Document from an HTML page: the extracted article text, metadata, body links, marked junk."""
    size = len(html) if isinstance(html, bytes) else len(html.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise InputDataError(f"input is {size:,} bytes, over the limit of {max_bytes:,} (see --max-bytes)")
    if not (html.strip() if isinstance(html, str) else html.strip()):
        raise InputDataError("input is empty or only whitespace")
    levels = nesting.depth(html)  # before lxml: hostile nesting gets its own message, not "no article"
    if levels > nesting.MAX_DEPTH:
        raise InputDataError(
            f"the HTML nests elements more than {nesting.MAX_DEPTH:,} levels deep; refused before parsing "
            "(article pages nest a few dozen levels)"
        )
    if nesting.max_attributes(html) > nesting.MAX_ATTRIBUTES:
        raise InputDataError(
            f"an HTML element has more than {nesting.MAX_ATTRIBUTES:,} attributes; refused before parsing "
            "(the parser slows down with the square of that number)"
        )
    try:
        extracted = _extract(html, url)
    except (ValueError, TypeError) as exc:  # lxml refuses some malformed documents outright
        raise InputDataError(f"the HTML could not be parsed: {exc}") from None
    if extracted is None or extracted.body is None or len((extracted.text or "").split()) < MIN_ARTICLE_WORDS:
        if levels > nesting.PARSER_DEPTH:
            raise InputDataError(
                f"no article text found in the HTML: it nests about {levels} levels deep and the HTML parser "
                f"reads only {nesting.PARSER_DEPTH}"
            )
        raise InputDataError("no article text found in the HTML (is it a page with an article?)")

    raw = html if isinstance(html, str) else html.decode("utf-8", "replace")
    text, links = _text_and_links(extracted.body, _OPEN in raw or _CLOSE in raw)
    if not text.strip():
        raise InputDataError("no article text found in the HTML (is it a page with an article?)")

    page_url = url or extracted.url
    doc = Document(
        text=text,
        source_type=source_type,
        source_value=source_value,
        metadata=Metadata(
            title=extracted.title or None,
            author=extracted.author or None,
            date=extracted.date or None,
            site=page_site(extracted.sitename, extracted.hostname, page_url),
            url=page_url or None,
        ),
    )
    for start, end, target in links:
        doc.add(Link, start, end, url=_absolute(page_url, target))
    from unspun.ingest import cleanup

    cleanup.run(doc)
    return doc
