"""A cheap estimate of how deeply an HTML page nests its elements, taken before any parser sees the page.

Why: libxml2 (under lxml and trafilatura) silently drops everything nested deeper than 255 levels, so a page of
100,000 nested `<div>`s came out as "no article found", which hides the real cause. A linear scan over the tags
costs a few milliseconds per megabyte and lets ingest refuse hostile nesting with its own message.

The estimate follows the HTML rules that matter for depth and errs towards *less* depth, so a real page is
never refused: void elements (`<br>`, `<img>`) and `/>` do not nest, an end tag closes everything opened after
its start tag, stray end tags are ignored, elements that close themselves (`<p>`, `<li>`, `<td>`, `<option>`...)
close their previous sibling, comments and the content of `<script>`/`<style>`/`<textarea>`... are skipped.
"""

from __future__ import annotations

import re

# Past this, a page is refused before parsing; deeper than the parser's own limit, content is lost.
MAX_DEPTH = 1000
PARSER_DEPTH = 255

_VOID = frozenset(
    b"area base br col embed hr img input link meta param source track wbr keygen basefont bgsound frame command".split()
)
_SELF_CLOSING = frozenset(b"p li dt dd option optgroup tr td th thead tbody tfoot rt rp colgroup".split())
_RAW_TEXT = frozenset(b"script style textarea title xmp iframe noembed noframes noscript template".split())
_TAG = re.compile(rb"<(?:(!--)|(/?)([A-Za-z][A-Za-z0-9:_-]{0,63}))")
_TAG_END = re.compile(rb"(/?)>")


def depth(html: str | bytes, stop_at: int = MAX_DEPTH) -> int:
    """The estimated element nesting depth of `html`; the scan stops early once it passes `stop_at`."""
    data = html.encode("utf-8", "surrogatepass") if isinstance(html, str) else html
    stack: list[bytes] = []
    open_count: dict[bytes, int] = {}
    deepest = 0
    pos = 0
    search = _TAG.search
    while True:
        m = search(data, pos)
        if m is None:
            return deepest
        if m.group(1):  # a comment runs to "-->", or to the end when unclosed
            end = data.find(b"-->", m.end())
            if end < 0:
                return deepest
            pos = end + 3
            continue
        name = m.group(3).lower()
        closing = bool(m.group(2))
        tail = _TAG_END.search(data, m.end())
        if tail is None:
            return deepest
        pos = tail.end()
        if closing:
            if open_count.get(name):
                while True:  # close everything opened after the matching start tag
                    top = stack.pop()
                    open_count[top] -= 1
                    if top == name:
                        break
            continue
        if name in _VOID or tail.group(1):
            continue
        if name in _RAW_TEXT:
            end = re.compile(rb"</" + re.escape(name), re.IGNORECASE).search(data, pos)
            if end is None:
                return deepest
            pos = end.start()
            continue
        if name in _SELF_CLOSING and open_count.get(name):
            while True:
                top = stack.pop()
                open_count[top] -= 1
                if top == name:
                    break
        stack.append(name)
        open_count[name] = open_count.get(name, 0) + 1
        if len(stack) > deepest:
            deepest = len(stack)
            if deepest > stop_at:
                return deepest
