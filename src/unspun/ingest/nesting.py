"""A cheap estimate of how deeply an HTML page nests its elements, taken before any parser sees the page.

Why: libxml2 (under lxml and trafilatura) silently drops everything nested deeper than 255 levels, so a page of
100,000 nested `<div>`s came out as "no article found", which hides the real cause. A linear scan over the tags
costs a few milliseconds per megabyte and lets ingest refuse hostile nesting with its own message.

The estimate follows the HTML rules that matter for depth and errs towards *less* depth, so a real page is
never refused: void elements (`<br>`, `<img>`) and `/>` do not nest, an end tag closes everything opened after
its start tag, stray end tags are ignored, elements that close themselves (`<p>`, `<li>`, `<td>`, `<option>`...)
close their previous sibling (not across a nested table or list), comments and the content of `<script>`/`<style>`/`<textarea>`... are skipped.
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
_SCOPES = frozenset(b"table ul ol dl menu select datalist div section article blockquote body html".split())
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
            # close the previous sibling, unless a new container (a nested table or list) was opened since
            i = len(stack) - 1
            while stack[i] != name and stack[i] not in _SCOPES:
                i -= 1
            if stack[i] == name:
                for top in stack[i:]:
                    open_count[top] -= 1
                del stack[i:]
        stack.append(name)
        open_count[name] = open_count.get(name, 0) + 1
        if len(stack) > deepest:
            deepest = len(stack)
            if deepest > stop_at:
                return deepest


# libxml2 checks each new attribute against the element's others, so parsing cost grows with the square of the
# attribute count: one element with 100,000 attributes took 9 minutes. Real pages stay far below this.
MAX_ATTRIBUTES = 1000
_OPEN_TAG = re.compile(rb"<[A-Za-z][^<>]*")


def max_attributes(html: str | bytes, stop_at: int = MAX_ATTRIBUTES) -> int:
    """The largest number of `=` signs in one start tag (an upper bound on its attribute count), in one linear scan;
    it stops early once `stop_at` is passed."""
    data = html.encode("utf-8", "surrogatepass") if isinstance(html, str) else html
    most = 0
    for m in _OPEN_TAG.finditer(data):
        n = m.group(0).count(b"=")
        if n > most:
            most = n
            if most > stop_at:
                break
    return most
