"""The one rule for a document's "site", which its stored id depends on (`corpus.store.document_id(hash, site)`).

A page's own name for itself (trafilatura's sitename, or a `site` column given with a corpus row) is kept as given.
Otherwise the site is the host of the page's URL, lower-cased, without a leading `www.`: `https://www.Example.com/a`
and `http://example.com/b` are the same site.

`link_domain` is a looser rule for another question, whether a link leads out of the page's site (the sources
stage): there a mobile or AMP mirror (`m.`, `mobile.`, `amp.`, `www2.`) is the same site too. It never names a
document's site, so stored ids do not depend on it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit


def site_of(url: str | None) -> str | None:
    """The host of a URL without a leading `www.`, or None when there is no URL or no host."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:  # "http://[not-an-address/": a malformed link in a page is no site
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def page_site(sitename: str | None, hostname: str | None, url: str | None) -> str | None:
    """An HTML page's site: its own name for itself (trafilatura's sitename), else trafilatura's hostname (the URL's
    domain, already without `www.`), else `site_of(url)`."""
    return sitename or hostname or site_of(url)


def link_domain(host: str) -> str:
    """A host without a leading `www.`, `www2.`, `m.`, `mobile.` or `amp.`, lower-cased, for same-site checks."""
    return re.sub(r"^(?:www\d?|m|mobile|amp)\.", "", host.lower())
