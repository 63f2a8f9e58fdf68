"""The hostile payloads that the XSS tests put in article text, metadata and URLs (shared by the browser tests in
test_xss.py and the browser-free ones in test_xss_server.py)."""

from __future__ import annotations

import html as htmllib

FAST = {"model": "fast", "stages": ["techniques"]}

PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    '<img src=x onerror="window.__xss=2;alert(2)">',
    '<svg onload="window.__xss=3;alert(3)"></svg>',
    '<a href="javascript:window.__xss=4;alert(4)">link four</a>',
    '<a href="data:text/html,<script>alert(5)</script>">link five</a>',
    '"><script>window.__xss=6;alert(6)</script>',
    "'><img src=x onerror=window.__xss=7;alert(7)>",
    "</textarea><script>window.__xss=8;alert(8)</script>",
    "</title><script>window.__xss=9;alert(9)</script>",
    "{{7*7}} ${7*7} {{constructor.constructor('window.__xss=10;alert(10)')()}}",
    '<div style="width: expression(window.__xss=11)">eleven</div>',
    '<p style="background:url(javascript:window.__xss=12)">twelve</p>',
    r"\u003cscript\u003ewindow.__xss=13;alert(13)\u003c/script\u003e",
    '<iframe src="javascript:window.__xss=14;alert(14)"></iframe>',
    "<details open ontoggle=window.__xss=15;alert(15)>",
    "</script><script>window.__xss=16;alert(16)</script><!--",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=17>",
]
URL_PAYLOADS = ["javascript:window.__xss=20;alert(20)", "data:text/html,<script>alert(21)</script>",
                " JaVaScRiPt:alert(22)", "vbscript:msgbox(23)"]

ARTICLE = (
    "Council accused of cover-up\n\n"
    "The council's so-called experts are a disgrace, critics said on Monday, and the payloads below are quoted as text.\n"
    + "\n".join(f"Payload {i}: {p}" for i, p in enumerate(PAYLOADS))
    + "\n"
)


def hostile_page() -> str:
    """A saved page with payloads in the <title>, meta author and site name, URLs and the body (escaped as text
    there, so they are article text), plus live hostile markup that must never survive extraction."""
    esc = htmllib.escape
    paragraphs = "\n".join(f"<p>Critics said the plan was a disgrace, quoting payload {i}: {esc(p)}</p>"
                           for i, p in enumerate(PAYLOADS))
    return f"""<!doctype html><html><head>
<title>Hostile {esc(PAYLOADS[5])} title</title>
<meta name="author" content="{esc(PAYLOADS[6], quote=True)}">
<meta property="og:site_name" content="{esc(PAYLOADS[2], quote=True)}">
<meta property="og:url" content="{URL_PAYLOADS[0]}">
<link rel="canonical" href="{URL_PAYLOADS[0]}">
<script>window.__xss = 30</script>
</head><body onload="window.__xss=31"><article>
<h1>Council accused {esc(PAYLOADS[0])} of cover-up</h1>
<p>The council's so-called experts are a disgrace, critics said on Monday, and read
<a href="{URL_PAYLOADS[0]}">the javascript report</a> and <a href="{esc(URL_PAYLOADS[1], quote=True)}">the data one</a>.</p>
<img src=x onerror="window.__xss=32"><svg onload="window.__xss=33"></svg>
{paragraphs}
</article></body></html>"""
