"""The one rule for a document's "site", which its stored id depends on (`corpus.store.document_id(hash, site)`).

A page's own name for itself (trafilatura's sitename, or a `site` column given with a corpus row) is kept as given.
Otherwise the site is the host of the page's URL, lower-cased, without a leading `www.`: `https://www.Example.com/a`
and `http://example.com/b` are the same site.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def site_of(url: str | None) -> str | None:
    """The host of a URL without a leading `www.`, or None when there is no URL or no host."""
    if not url:
        return None
    host = urlsplit(url).hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host
