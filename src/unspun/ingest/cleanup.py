"""Scrape cleanup: mark the junk that copying an article out of a web page drags along, and note embedded posts.

Why: text pasted from a blog or news site carries image file names, share-button labels, cookie banners and
"related posts" headings. Left unmarked they pollute every later stage: "Share on Facebook" is not a claim and a
cookie banner is not loaded language. Cleanup never edits `doc.text`, because every offset in every output must
index the user's original input; it only adds `Removed` ranges, which later stages skip, and `EmbeddedPost` items,
which record that the article shows a social-media post (the sources stage can treat them as social-post sources).

Removed reasons (`Removed.reason`):
- `image-filename`: a line that is an image file name: `IMG_1234.jpg`, `photo.jpeg`, `[chart].webp`, or a name with
  spaces that starts like a screenshot or camera file (`Screenshot_2020-01-02 Jane Doe on Twitter.png`,
  `WhatsApp Image 2021-01-02 at 10.11.12.jpeg`) or names a platform (`... on Facebook.png`).
- `layout-widget`: page-builder residue: `3 columns`, `2 columns`, `1 column`.
- `share-buttons`: "Share this:", "Click to share on Twitter (Opens in new window)", "Share on Facebook",
  "Like this:", "Like Loading...", and lines made only of button words ("Facebook Twitter Email").
- `related-posts`: "Related posts", "Related", "You may also like", "Read more:" (alone or followed by a headline),
  and a block of teasers at the end of the text: excerpts of other posts cut off with "[…]" (two at least, and at
  least half the lines from the first of them to the end), as blogs list them under an article; and, in HTML input,
  a headline-like line that is all one link to another page of the same site (a "more about" card); and the
  headline list items ("- Crates are leaving …") right under a related-posts or promotion heading.
- `cookie-banner`: "We use cookies to ...", "This website uses cookies ...", "Accept all cookies", "Cookie settings".
- `advertisement`: "Advertisement", "Sponsored content", "Story continues below advertisement".
- `newsletter`: "Subscribe to our newsletter", "Sign up for our newsletter", "Subscribe", "Enter your email address".
- `embed-widget`: the chrome of an embedded post: "View this post on Instagram", "Twitter Ads info and privacy".
- `comment-form`: "Leave a Reply", "Cancel reply", "Your email address will not be published ...".
- `navigation`: "Skip to content", "Back to top".
- `image-credit`: a photo credit on its own line: "Credit: Ana Ruiz/Reuters", "Photo: AP", "[Jane Doe/ Reuters]",
  "© Provided by Example News", "Copyright 2020 Example Media". A descriptive caption is article text and stays.
- `separator`: a line of rule characters only ("____", "* * *", "=====").
- `promotion`: republishing notes and promotions around the article: "Article posted with permission from …",
  "This article originally appeared on …", "… Check Amazon for Pricing.", "Follow her on Twitter: @…",
  "Pre-order …", "Take our poll", "Editors' Recommendations".
- `embed-widget` also covers a line that is only a `pic.twitter.com/…` link (the post is still recorded), and such
  a link at the end of a post's text line (only the link is marked).
- `comment-form` also covers invitations to comment ("What do you think? Let us know in the comments below").
- `newsletter` also covers sign-up boxes ("Sign up to get the best of the week …", a "<Site> Newsletter" heading).
- `hashtags`: a line of hashtags only ("#GameTechie", "#news #politics").
- `promotion` also covers author-bio contact lines ("Visit his site at …", "reach her at …"), letters-page prompts
  ("Submit your letter to the editor …") and poll boxes ("… Poll Exercise your right to vote."), with a poll's
  question and answers between "take our poll" and the junk line that closes the poll.
- `newsletter` also covers a sign-up or poll form's fields and fine print ("Email *", "… This field is for
  validation purposes and should be left unchanged.", "You may opt out at anytime.", "You also agree to this
  site's Privacy Policy …").

Weak lines. A bare one-word label that could also be a real sub-heading ("Twitter", "Facebook", "Email", "Print",
"Tweet", "Share", "Like", "Comments", "Menu", "Search") is flagged only when the nearest non-blank line before or
after it is a junk candidate too, as in a scraped share bar. An article with the sub-headings "Facebook" and
"Twitter" between paragraphs keeps them.

Embedded posts (`EmbeddedPost.platform`: `twitter` (X included), `facebook`, `instagram`, `telegram`, `unknown`):
- an image caption that names an account: an image file name line, or a short line that starts with
  "Screenshot"/"Screen grab" (`Screenshot: Gov. Mara Quill on Facebook`). The account is the first `@handle` in it,
  else the name before "on <platform>"; "on X" is `twitter`, other social networks (Threads, TikTok, Mastodon, ...)
  are `unknown`, and so is a bare `@handle` with no platform word. A caption naming no account gives no post.
  An image-file-name caption gets both a `Removed` (image-filename) and an `EmbeddedPost`.
- tweet-embed residue: a signature line `— Jane Doe (@janedoe) January 2, 2020` (or tweet text ending in one), a
  line with `pic.twitter.com/...`, or a line that is only a post URL (`twitter.com/<h>/status/<n>`, `x.com/...`,
  `instagram.com/p/...`, `facebook.com/<page>/posts/...`, `t.me/<channel>/<n>`, as WordPress embeds leave them);
  "A post shared by Jane Doe (@janedoe)" is Instagram embed residue. When no account can be read, `account` is "".
These lines stay unremoved: a tweet's text is what the article quotes.

Span extents:
- every `Removed` covers one line's content: no line terminator, no leading or trailing whitespace (nor a BOM or
  zero-width character at its edges). Lines never overlap, so removed ranges never overlap. The one exception is a
  junk tail after an article line's last sentence (a photo credit, "Credit: …", "[Jane Doe/ Example Wire]", or a
  bookshop widget "… Check Amazon for Pricing."): only the tail is marked, and the line's own text stays.
- an `EmbeddedPost` covers the whole caption or residue line the same way; the account is a field, not a span.
  A `pic.twitter.com` or post-URL line directly followed (blank lines aside) by the tweet's signature line gives ONE
  post that spans from the first line's content start to the signature's end, with the signature's account.

Lines end at `\\n`, `\\r\\n` or `\\r`. Precision matters more than recall: only stand-alone lines are candidates, at
most 200 characters (500 for cookie banners and tweet residue, which are wordier), so an article sentence that
mentions columns, cookies or Twitter is never flagged. The scan is linear: blank runs are skipped by one C-level
search, line ends come from cached `str.find`, and over-long lines are dismissed by length before any slicing or
regex, so a 50 MB single line costs next to nothing. Every regex runs on a capped line and has bounded repetition.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from unspun import line_endings
from unspun.document import Document, EmbeddedPost, Removed
from unspun.ingest.site import link_domain, site_of

MAX_LINE = 200
"""Longest line content (characters) that can be junk."""
MAX_LONG_LINE = 500
"""Longest line content that can be a cookie banner or tweet-embed residue."""
_MAX_RAW = MAX_LONG_LINE + 1500
"""A line (with its surrounding whitespace) longer than this is dismissed before it is sliced."""

# Characters trimmed from line edges: every str.isspace() character (all below U+3001) plus invisible marks.
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u200e\u200f"
_TRIM = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + _INVISIBLE
_LINE = re.compile(r"\S[^\r\n]*")  # a line from its first non-space character up to \r, \n or the end


class _Post(NamedTuple):
    account: str
    platform: str
    kind: str  # "caption", "signature" (a tweet signature line) or "link" (pic.twitter.com / post URL line)


class _Line(NamedTuple):
    start: int
    end: int
    reason: str | None = None
    weak: bool = False
    post: _Post | None = None


_PLAIN = _Line(-1, -1)  # stands for every line that is neither junk nor a post; never emitted, only a neighbour

# --- Junk lines -----------------------------------------------------------------------------------------------------
# Keys are casefolded, whitespace-collapsed, with leading bullets and trailing punctuation stripped (see _key).
_STRONG_LINES: dict[str, list[str]] = {
    "share-buttons": [
        "share this", "share this article", "share this story", "share this post", "share this page",
        "share article", "share story", "share the story", "share via", "share on", "like this", "like loading",
        "loading", "tweet this", "email this", "email this article", "email article", "print this",
        "print this article", "print this page", "print article", "copy link", "copy link to clipboard",
        "copy url", "pin it",
    ],
    "related-posts": [
        "related", "related posts", "related post", "related articles", "related article", "related stories",
        "related story", "related content", "related reading", "related news", "related coverage", "related links",
        "you may also like", "you might also like", "you may also be interested in", "you might be interested in",
        "you may be interested in", "read more", "read next", "read also", "also read", "more stories",
        "more on this story", "recommended", "recommended for you", "recommended reading", "most read",
        "most popular", "popular posts", "recent posts", "latest posts", "trending", "trending now", "must read",
    ],
    "cookie-banner": [
        "accept all cookies", "accept cookies", "allow all cookies", "allow cookies", "reject all cookies",
        "reject cookies", "decline cookies", "cookie settings", "cookies settings", "cookie preferences",
        "manage cookies", "manage cookie preferences", "cookie policy", "cookie notice", "cookie consent",
        "use necessary cookies only", "necessary cookies only", "only necessary cookies",
        "accept only necessary cookies", "accept necessary cookies", "i accept cookies",
    ],
    "advertisement": [
        "advertisement", "advertisements", "advertisment", "advert", "ad", "ads", "sponsored", "sponsored content",
        "sponsored post", "paid content", "paid post", "promoted", "promoted content",
        "story continues below advertisement", "article continues below advertisement", "story continues below",
        "article continues below", "content continues below", "continue reading below",
        "advertisement - scroll to continue", "scroll to continue with content", "continue reading the main story",
        "skip advertisement", "remove ads", "advertisement continue reading below",
    ],
    "newsletter": [
        "subscribe", "subscribe now", "subscribe today", "sign up", "sign up now", "sign up today", "newsletter",
        "newsletters", "get the newsletter", "enter your email", "enter your email address", "your email address",
        "email address", "thank you for subscribing", "thanks for subscribing",
    ],
    "embed-widget": [
        "view this post on instagram", "view this post on twitter", "view this post on x",
        "view this post on facebook", "view on instagram", "view on twitter", "view on facebook", "view on threads",
        "twitter ads info and privacy", "see the latest covid-19 information on twitter",
    ],
    "comment-form": ["leave a reply", "leave a comment", "cancel reply", "post comment", "submit comment",
                     "add a comment", "no comments yet", "be the first to comment"],
    "navigation": ["skip to content", "skip to main content", "skip to navigation", "toggle navigation",
                   "main menu", "back to top", "go to top", "scroll to top", "next post", "previous post"],
}
_STRONG: dict[str, str] = {key: reason for reason, keys in _STRONG_LINES.items() for key in keys}

# Labels that are junk only next to other junk (a real article may use them as sub-headings).
_SHARE_WORDS = frozenset({
    "tweet", "email", "e-mail", "mail", "print", "share", "like", "more", "twitter", "x", "facebook", "whatsapp",
    "linkedin", "reddit", "pinterest", "telegram", "tumblr", "pocket", "messenger", "flipboard", "mastodon", "threads",
    "bluesky", "skype", "sms", "vk", "instagram",
})
_WEAK: dict[str, str] = dict.fromkeys(_SHARE_WORDS, "share-buttons")
_WEAK.update({"comments": "comment-form", "reply": "comment-form", "menu": "navigation", "search": "navigation",
              "close": "navigation", "home": "navigation"})

_NETWORKS = (r"facebook|twitter|x|linkedin|whatsapp|reddit|pinterest|telegram|tumblr|pocket|messenger|flipboard"
             r"|mastodon|threads|bluesky|email|e-mail|sms|vk")
_OPENS_NEW = r"(?: \(opens in (?:a )?new (?:window|tab)\))?"
# One alternation over the line key, so a line that starts like none of them costs one failed match in C.
# Each branch is a named group whose name maps to the reason; the branches ending in \Z must match the whole key.
_KEY_PATTERN = re.compile(
    r"(?P<layout>\d{1,2} columns?\Z)"
    r"|(?P<share>click to (?:share on [^()]{1,40}|e-?mail[^()]{0,40}|print|tweet|like|copy[^()]{0,20})" + _OPENS_NEW
    + r"\Z"
    rf"|share (?:on|via|to|by) (?:{_NETWORKS})" + _OPENS_NEW + r"\Z)"
    r"|(?P<comments>your email address will not be published.{0,100}\Z|\d{1,6} (?:comments?|responses?|replies)\Z)"
    r"|(?P<related>(?:read (?:more|also|next)|also read|see also|must read|more on this(?: story)?"
    r"|recommended(?: reading)?|related(?: (?:posts?|articles?|stories|story|reading|content|coverage))?)"
    r"\s?[:：|»›]\s?\S)"
    r"|(?P<newsletter>(?:subscribe|sign up|sign-up|signup|join|register)\b.{0,150}\b(?:newsletters?|mailing list|inbox)\b)"
)
_KEY_REASONS = {"layout": "layout-widget", "share": "share-buttons", "comments": "comment-form",
                "related": "related-posts", "newsletter": "newsletter"}
# Credits, rules and promotions, matched on the trimmed line (not the key: "©" and "/" matter here).
_CREDIT = re.compile(
    r"(?:photo|image|picture|video|illustration|graphic|photograph)s?\s?(?:credits?)?\s?[:|]\s?\S.{0,70}\Z"
    r"|(?:photo |image |picture )?credits?\s?:\s?\S.{0,150}\Z|courtesy of\s\S.{0,80}\Z"
    r"|[\[(][^\[\]()/]{2,50}/\s?[^\[\]()/]{2,40}[\])]\Z"
    r"|(?:©|(?:\(c\)|copyright)\s?©?\s?(?:\d{4}|by\b))(?:.{0,60}|.{0,120}rights reserved.{0,60})\Z",
    re.IGNORECASE,
)
# Invitations to comment: "What do you think? … Let us know down below in the comments", "Sound off below".
# A line that reports speech ("…, the mayor said in the comments below") is article text, not a prompt.
_COMMENT_PROMPT = re.compile(
    r"(?!.{0,200}\b(?:said|says|told)\b)(?:.{0,160}?(?:^|[.?!]\s)(?:let us know|tell us|share your (?:thoughts|views)"
    r"|sound off|leave (?:a |your )?comments?)\b.{0,60}\b(?:in the comments?|comments? (?:below|section)|down below|below)\b)",
    re.IGNORECASE,
)
# "Sign up to get the best content of the week …", "PC Gamer Newsletter": newsletter boxes without the word inbox
_NEWSLETTER_BOX = re.compile(
    r"(?i:sign[ -]?up (?:to|for) (?:get|receive|our)\b).{0,150}"
    r"|(?:[A-Z][\w&'’.-]*\s){1,4}(?:Newsletter|Newsletters|Daily Briefing|Weekly Digest)\Z",
)
# The fields and fine print of a sign-up or poll form: "Email *", "Name This field is for validation purposes and
# should be left unchanged.", "You may opt out at anytime.", "You also agree to this site's Privacy Policy …".
_FORM_LINE = re.compile(
    r"(?:(?:your |first |last )?(?:e-?mail|name)(?: address)?\s?\*\s?)+\Z"
    r"|.{0,40}\bthis field is for validation purposes and should be left unchanged\.?\Z"
    r"|you (?:may|can) (?:opt[ -]out|unsubscribe) (?:at )?any ?time\.?\Z"
    r"|(?:you also agree|by (?:subscribing|signing up|submitting|voting)\b.{0,60}\bagree)\b.{0,40}\bprivacy policy\b.{0,60}\Z",
    re.IGNORECASE,
)
_POLL_START = re.compile(r"(?:take|answer) our poll\b", re.IGNORECASE)
POLL_LINES = 12
"""How many lines after "take our poll" may be the poll's question and answers."""
_HASHTAGS = re.compile(r"#[^\W\d_][\w-]{1,40}(?:[\s,|]{1,4}#[^\W\d_][\w-]{1,40}){0,9}\Z")
_SEPARATOR = re.compile(r"(?:[_=*~•·#.\-–—]\s?){3,}\Z")
_PROMOTION = re.compile(
    r"(?:article |this article |story |this story )?(?:was )?(?:re)?(?:posted|published|printed) with permission\b"
    r"|this (?:article|story|piece) (?:was )?originally (?:appeared|published|ran)\b"

    r"|follow (?:him|her|them|us|me) on (?:twitter|x|facebook|instagram|telegram)\b"
    r"|\[?pre-?order\b"
    r"|(?:take|answer) our poll\b|completing this poll\b"
    r"|.{0,60}\bpoll\b[:.!]?\s(?:exercise your right to vote|vote now|cast your vote)\b"
    r"|(?:visit (?:his|her|their) (?:web)?site|reach (?:him|her|them) at)\b"
    r"|(?:submit|send)(?: us)? (?:your |a )?letters? to the editor\b|read more letters to the editor\b"
    r"|editors?['’]?s?['’]? (?:recommendations|picks)\b",
    re.IGNORECASE,
)
# Two or more share-button words and nothing else ("Facebook Twitter Email", "Share | Tweet").
_SHARE_WORD = "(?:" + "|".join(sorted(map(re.escape, _SHARE_WORDS), key=len, reverse=True)) + ")"
_SHARE_WORD_LINE = re.compile(rf"{_SHARE_WORD}(?:[\s|•·/,]{{1,5}}{_SHARE_WORD})+\Z")
_COOKIE_SENTENCE = re.compile(
    r"(?:we|this (?:web)?site|our (?:web)?site|this website and its partners|we and our (?:\d{1,4} )?(?:partners|vendors))"
    r"(?: and (?:our|its) (?:\d{1,4} )?partners)? uses? cookies(?:$|[.:;!]| (?:to|and|for|so|on|in|that|which|from)\b)"
    r"|by (?:continuing|using|clicking|browsing|staying)\b.{0,300}\bcookies\b"
)

# --- Images and captions --------------------------------------------------------------------------------------------
_IMAGE_EXTS = frozenset({"png", "jpg", "jpeg", "jfif", "gif", "webp", "bmp", "tif", "tiff", "svg", "heic", "heif",
                         "avif"})
# File names with spaces are only taken when they start like a screenshot, camera or messenger file.
_FILE_PREFIX = re.compile(
    r"(?:screenshot|screen[ _-]?shot|screen[ _-]?grab|screen[ _-]?capture|capture|snapshot|img|image|photo|pic"
    r"|picture|dsc|dscn|pxl|mvimg|whatsapp image|signal|telegram|untitled|unnamed|download|scan)(?=[\W_\d]|$)"
    r"|\d",
    re.IGNORECASE,
)
# The screenshot/camera prefix with its date and time stamps, stripped before reading an account name.
_STAMP = re.compile(
    r"(?:(?:screenshot|screen[ _-]?shot|screen[ _-]?grab|screen[ _-]?capture|capture|snapshot|img|image|photo)"
    r"(?=[\W_\d]|$))?[\s_-]{0,3}(?:\(\d{1,4}\))?[\s_-]{0,3}"
    r"(?:\d{4}[-_.]?\d{2}[-_.]?\d{2}|\d{1,2}[-_.]\d{1,2}[-_.]\d{2,4})?"
    r"(?:[\s_-]{0,3}(?:at)?[\s_-]{0,3}\d{1,2}[.:_-]\d{2}(?:[.:_-]\d{2})?(?:\s?[ap]\.?m\.?)?)?"
    r"[\s_-]{0,3}(?:\(\d{1,4}\))?[\s_:-]{0,3}",
    re.IGNORECASE,
)
_CAPTION_LEAD = re.compile(
    r"[\[(]?\s?(?:screenshot|screen[ -]?shot|screen[ -]?grab|screen[ -]?capture)s?\b"
    r"(?:\s(?:of|from)\s(?:an?\s|the\s)?(?:(?:tweet|post|message|story|status|reel|video|thread)s?\s)?"
    r"(?:(?:by|from)\s)?|\s(?:via|from|by)\s)?\s?[:\-–—]?\s?",
    re.IGNORECASE,
)
_PLATFORM_WORDS = {"twitter": "twitter", "x": "twitter", "tweet": "twitter", "facebook": "facebook",
                   "instagram": "instagram", "telegram": "telegram"}
_ON_PLATFORM = re.compile(
    r"(?:^|[\s_])on[\s_]{1,3}(?P<p>twitter|x|facebook|instagram|telegram|threads|tiktok|mastodon|bluesky"
    r"|truth social|linkedin|youtube|reddit|vk|gab|parler|weibo|snapchat|whatsapp|gettr|rumble)"
    r"(?=$|[\s_:,;|()\"“”'’!?]|\.(?!\w))",
    re.IGNORECASE,
)
_PLATFORM_HINT = re.compile(r"\b(twitter|tweet|facebook|instagram|telegram)\b|t\.me/|(?:^|[\s_|/•·-])x(?:\.com)?$",
                            re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)")

# --- Tweet and post embed residue -----------------------------------------------------------------------------------
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?"
_SIGNATURE = re.compile(
    r"[—–-]{1,2}[ \t\u00a0]{0,3}[^()\s][^()]{0,80}?[ \t\u00a0]{0,3}\(@(?P<h>[A-Za-z0-9_]{1,15})\)"
    rf"[ \t\u00a0]{{0,3}}(?P<date>{_MONTH}[ \t\u00a0]\d{{1,2}},[ \t\u00a0]\d{{4}}|\d{{1,2}}[ \t\u00a0]{_MONTH}[ \t\u00a0]\d{{4}})?"
    r"[ \t\u00a0]{0,3}$",
    re.IGNORECASE,
)
_INSTAGRAM_SHARED = re.compile(r"a post shared by [^()]{1,80}?\s?\(@(?P<h>[A-Za-z0-9_.]{1,30})\)", re.IGNORECASE)
_PIC_TWITTER = re.compile(r"(?<![\w.-])pic\.twitter\.com/[A-Za-z0-9]{4,}")
_PIC_TAIL = re.compile(r"(?<=\s)(?:https?://)?pic\.twitter\.com/[A-Za-z0-9]{4,}(?=[ \t]*$)", re.MULTILINE)
_D = r"(?<![\w.-])(?:https?://)?"
_POST_URLS: list[tuple[re.Pattern[str], str, str]] = [  # (pattern, platform, account prefix)
    (re.compile(_D + r"(?:(?:www|mobile)\.)?(?:twitter|x)\.com/(?P<h>[A-Za-z0-9_]{1,15})/status(?:es)?/\d+\S*"),
     "twitter", "@"),
    (re.compile(_D + r"(?:www\.)?instagram\.com/(?:p|reel|tv)/[\w-]+\S*"), "instagram", ""),
    (re.compile(_D + r"(?:(?:www|m)\.)?facebook\.com/(?P<h>[\w.]{1,80})/(?:posts|videos|photos)/\S+"),
     "facebook", ""),
    (re.compile(_D + r"t\.me/(?P<h>[A-Za-z0-9_]{5,32})/\d+\S*"), "telegram", "@"),
]


def run(doc: Document) -> None:
    """Mark scrape junk in `doc.text` as `Removed` ranges and add `EmbeddedPost` evidence, in text order.

    The lines are read in their LF form, so CRLF or CR input marks the same junk (offsets still index the input)."""
    with line_endings.normalized(doc):
        _mark(doc)


def _mark(doc: Document) -> None:
    prev: _Line | None = None
    cur: _Line | None = None
    merged_into_prev = False  # the current line's post was already emitted as part of the previous line's post
    teasers = _teaser_tail(doc.text) | _link_teasers(doc) | _listed_teasers(doc.text)
    for nxt in _classified_lines(doc.text, teasers, _poll_lines(doc.text)):
        if cur is not None and (cur.reason is not None or cur.post is not None):
            merged_into_prev = _emit(doc, prev, cur, nxt, merged_into_prev)
        prev, cur = cur, nxt
    if cur is not None:
        _emit(doc, prev, cur, None, merged_into_prev)


def _emit(doc: Document, prev: _Line | None, cur: _Line, nxt: _Line | None, skip_post: bool) -> bool:
    """Add cur's items; return True when nxt's post has been merged into cur's."""
    if cur.reason is not None and (
        not cur.weak or (prev is not None and prev.reason is not None) or (nxt is not None and nxt.reason is not None)
    ):
        doc.add(Removed, cur.start, cur.end, reason=cur.reason)
    post = cur.post
    if post is not None and post.kind == "link" and cur.reason is None:
        # a post's text, then the link to its image ("… across the nose. pic.twitter.com/x"): only the link is junk
        pic = _PIC_TAIL.search(doc.text, cur.start, cur.end)
        if pic is not None and pic.start() > cur.start:
            doc.add(Removed, pic.start(), pic.end(), reason="embed-widget")
    if post is None or skip_post:
        return False
    if (post.kind == "link" and nxt is not None and nxt.post is not None and nxt.post.kind == "signature"
            and post.account.casefold() in ("", nxt.post.account.casefold())):
        doc.add(EmbeddedPost, cur.start, nxt.end, account=nxt.post.account, platform=nxt.post.platform)
        return True
    doc.add(EmbeddedPost, cur.start, cur.end, account=post.account, platform=post.platform)
    return False


_TEASER_END = re.compile(r"(?:\[\s?(?:…|\.\.\.)\s?\]|\(\s?(?:…|\.\.\.)\s?\))\Z")
TAIL_LINES = 40
"""How many non-blank lines at the end of a text are read for a block of teasers."""


def _teaser_tail(text: str) -> set[int]:
    """Starts of the lines in a block of teasers at the end of the text: excerpts of other posts, cut off with
    "[…]", as blogs list them under an article. The block runs from the first of its teasers to the end; it needs
    two teasers at least, and at least half its lines must be teasers, so an article paragraph that ends by eliding
    a quotation ("… the plan was flawed […]") followed by more article text is never taken."""
    lines: list[tuple[int, bool]] = []  # (content start, is a teaser), last line first
    end = len(text)
    while end > 0 and len(lines) < TAIL_LINES:
        start = text.rfind("\n", 0, end) + 1
        raw = text[start:end]
        content = raw.strip(_TRIM) if len(raw) <= _MAX_RAW else "x"
        if content:
            lines.append((start + len(raw) - len(raw.lstrip(_TRIM)), bool(_TEASER_END.search(content))))
        end = start - 1
    best = None
    teasers = 0
    for i, (_, teaser) in enumerate(lines):
        teasers += teaser
        if teaser and teasers >= 2 and 2 * teasers >= i + 1:
            best = i
    return {start for start, _ in lines[: best + 1]} if best is not None else set()


TEASER_MIN_WORDS = 5
"""A line that is all one link is a teaser when it reads like a headline: at least this many words."""


def _link_teasers(doc: Document) -> set[int]:
    """Starts of the lines that are each the whole text of one link to another page of the same site, reading like
    a headline (TEASER_MIN_WORDS words or more, no full stop at the end): the "more about" and "related" cards a page
    shows under or inside an article, which the HTML extractor keeps as text ("Skyrim finally truly beaten as
    fanatical player does …"). A linked phrase inside an article sentence never covers its whole line, and a linked
    sentence ending in a full stop stays. Plain-text input has no links, so nothing is taken there."""
    page = link_domain(site_of(doc.metadata.url) or "") if doc.metadata.url else ""
    out = set()
    for link in doc.links:
        text = doc.text[link.start : link.end]
        words = text.split()
        if len(words) < TEASER_MIN_WORDS or text.rstrip().endswith((".", "…")) or "\n" in text.strip():
            continue
        line_start = doc.text.rfind("\n", 0, link.start) + 1
        line_end = doc.text.find("\n", link.end)
        line_end = len(doc.text) if line_end < 0 else line_end
        lead = doc.text[line_start : link.start]
        if lead.strip(_TRIM) or doc.text[link.end : line_end].strip(_TRIM):
            continue  # other words on the line: a link inside article text
        host = site_of(link.url)
        if host is not None and (not page or link_domain(host) != page):
            continue  # a link out of the site: a source the article cites, not a teaser of the site's own pages
        if doc.metadata.url and link.url.split("#")[0].rstrip("/") == doc.metadata.url.split("#")[0].rstrip("/"):
            continue  # the page itself
        out.add(link.start)  # the lead before the link is only trimmable space, so the line's content starts here
    return out


LIST_TEASERS = 12
"""At most this many list items under a related-posts heading are read as teasers."""
HEADLINE_WORDS = 25
"""A list item reads like a headline when it has at most this many words and no full stop at its end."""
_LIST_ITEM = re.compile(r"(?m)^[ \t]*(?:[-*•·▪]|\d{1,2}[.)])[ \t]+(?P<item>\S[^\n]*)$")


def _listed_teasers(text: str) -> set[int]:
    """Starts of the list items under a heading that is itself related-posts or promotion junk ("Related posts:",
    "Editors' Recommendations:"): the headlines of the site's other pages, one per line with a list marker, as
    pages list them under an article ("- Crates are leaving Rocket League and …"). The items must follow the heading
    directly (blank lines aside), each read like a headline (at most HEADLINE_WORDS words, no full stop at the end),
    and at most LIST_TEASERS of them are taken, stopping at the first that is not a headline. An article's own list
    (steps, demands) has no junk heading above it."""
    out: set[int] = set()
    block: list[int | None] = []  # each item's line start, None for an item that does not read like a headline
    last_end = 0
    for m in _LIST_ITEM.finditer(text):
        if block and text[last_end : m.start()].strip(_TRIM):  # the gaps between matches add up to the text: linear
            _close_list(text, block, out)
            block = []
        item = m.group("item").rstrip(_TRIM)
        headline = len(item) <= MAX_LINE and len(item.split()) <= HEADLINE_WORDS and not item.endswith((".", "…"))
        line = m.group(0)
        block.append(m.start() + len(line) - len(line.lstrip(_TRIM)) if headline else None)
        last_end = m.end()
    _close_list(text, block, out)
    return out


def _close_list(text: str, block: list[int | None], out: set[int]) -> None:
    """Add the leading headline items of one list to `out` when its nearest non-blank line above is a junk heading."""
    if not block or block[0] is None:
        return
    end = text.rfind("\n", 0, block[0])
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        if end - start > _MAX_RAW:
            return
        heading = text[start:end].strip(_TRIM)
        if heading:
            if len(heading) <= MAX_LINE and _classify(heading)[0] in ("related-posts", "promotion"):
                for item in block[:LIST_TEASERS]:
                    if item is None:
                        break
                    out.add(item)
            return
        end = start - 1


def _poll_lines(text: str) -> set[int]:
    """Starts of the lines between a "take our poll" line and the junk line that closes the poll (its sign-up fine
    print, "Completing this poll grants you access …"): the question and its answers ("Will X be confirmed?",
    "* Yes, he will be confirmed."). Short lines only, at most POLL_LINES of them, and only when a junk line does
    close the block: otherwise the text after "take our poll" is the article going on."""
    out: set[int] = set()
    for m in _POLL_START.finditer(text):
        nl = text.find("\n", m.end())
        if nl < 0 or text.rfind("\n", 0, m.start()) + 1 < m.start() - 3:
            continue  # "take our poll" must open its line
        inside: list[int] = []
        pos = nl + 1
        for _ in range(POLL_LINES):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            content = text[pos:end].strip(_TRIM)
            if content:
                if len(content) > 150:
                    break
                if _classify(content)[0] is not None:
                    out.update(inside)
                    break
                inside.append(pos + len(text[pos:end]) - len(text[pos:end].lstrip(_TRIM)))
            if end >= len(text):
                break
            pos = end + 1
    return out


def _classified_lines(text: str, tail: frozenset[int] | set[int] = frozenset(),
                      poll: frozenset[int] | set[int] = frozenset()) -> Iterator[_Line]:
    """Every non-blank line, trimmed, with what it is.

    `_LINE` finds each line from its first non-space character to its terminator in one C-level pass (blank runs
    are skipped by the same search, and the greedy class cannot backtrack), so this is linear in len(text).
    Over-long lines are dismissed by their span alone, before any slicing.
    """
    for m in _LINE.finditer(text):
        start, end = m.span()
        if end - start > _MAX_RAW:
            yield _PLAIN
            continue
        raw = text[start:end]
        content = raw.strip(_TRIM)
        if not content:
            continue
        if raw[0] in _INVISIBLE or raw[0] in _TRIM:
            start += len(raw) - len(raw.lstrip(_TRIM))
        if start in tail:
            yield _Line(start, start + len(content), "related-posts")
            continue
        if start in poll:
            yield _Line(start, start + len(content), "promotion")
            continue
        lead = _credit_lead(content) if content[:1] in "©(" else 0
        if lead:
            yield _Line(start, start + lead, "image-credit")
            rest = content[-MAX_LONG_LINE:] if len(content) - lead > MAX_LONG_LINE else content[lead:]
            junk_end = _junk_tail(rest)
            if junk_end is not None:
                at = start + len(content) - len(rest) + junk_end[0]
                if at > start + lead:
                    yield _Line(at, start + len(content), junk_end[1])
            continue
        if len(content) > MAX_LONG_LINE:  # a paragraph: only a junk tail can be marked, read from its last characters
            cut = len(content) - MAX_LONG_LINE
            junk_end = _junk_tail(content[cut:])
            yield _Line(start + cut + junk_end[0], start + len(content), junk_end[1]) if junk_end else _PLAIN
            continue
        reason, weak, post = _classify(content)
        if reason is None and post is None:
            junk_end = _junk_tail(content)
            if junk_end is not None:
                yield _Line(start + junk_end[0], start + len(content), junk_end[1])
                continue
            yield _PLAIN
            continue
        yield _Line(start, start + len(content), reason, weak, post)


# The end of an article line that is junk of its own, after the line's last sentence: a photo credit ("… in Napo
# province. Credit: Ana Ruiz/Harbour Press (CC BY 2.0)", "… over the attack [Jane Doe/ Example Wire]") or a
# bookshop widget ("… security.” Harbour Secrets: A Hist... Jane Doe Check Amazon for Pricing.").
_TAIL_CREDIT = re.compile(
    r"(?:photo |image |picture )?credits?\s?:\s?\S.{0,100}\Z", re.IGNORECASE)  # a bracketed credit: _TAIL_BRACKET
_TAIL_BRACKET = re.compile(r"\s(\[[^\[\]/]{2,50}/\s?[^\[\]/]{2,40}\])\Z")
# A bookshop widget: "<title, cut at about 25 characters with an ellipsis> <author> Check Amazon for Pricing.";
# scrapes often glue it to a wrapped article line ("… engaged in actions The CIA, Terrorism, an... Jane Doe Check
# Amazon for Pricing."), so only the widget is marked.
_AMAZON_WIDGET = re.compile(r"[A-Z0-9][^.!?\n]{0,30}?(?:\.\.\.|…)\s?[^.!?\n]{2,40}?(?i:check amazon for pricing)\.?\Z"
                            r"|(?<![^\s])[^.!?\n]{2,80}?(?i:check amazon for pricing)\.?\Z")
_SENTENCE_GAP = re.compile(r"(?<![.\s])[.!?][\"”’']?\s+(?=[\[\w“\"])")


_PROVIDED_BY = re.compile(r"(?:©|\(c\))\s?(?:provided by|courtesy of|photo:?)\s", re.IGNORECASE)


def _credit_lead(content: str) -> int:
    """Length of a credit glued to the start of an article line ("© Provided by Al Jazeera Secretary of State Mike
    Pompeo said …"): the credit runs to the end of the longest known outlet name after it (the gazetteer), so the
    article text after it stays. 0 when there is none."""
    m = _PROVIDED_BY.match(content)
    if m is None:
        return 0
    from unspun import gazetteer

    words = list(re.finditer(r"\S+", content[m.end() : m.end() + 80]))
    best = 0
    for i in range(min(5, len(words))):
        name = content[m.end() : m.end() + words[i].end()].rstrip(".,;:")
        hit = gazetteer.lookup(name)
        if hit is not None and hit[0].kind == "outlet":
            best = m.end() + len(name)
    return best


def _junk_tail(content: str) -> tuple[int, str] | None:
    """(offset in `content`, reason) of a junk tail after the line's last sentence end, or None. The line's own
    text stays: only the tail is marked."""
    if len(content) > MAX_LONG_LINE or not content.rstrip().endswith(("]", ")", ".", "0")):
        return None
    bracket = _TAIL_BRACKET.search(content)
    if bracket is not None:  # "[Jane Doe/ Example Wire]" needs no sentence end before it
        return bracket.start(1), "image-credit"
    if "mazon" in content:
        widget = _AMAZON_WIDGET.search(content)
        if widget is not None and ("..." in widget.group() or "…" in widget.group()):
            return widget.start(), "promotion"  # a title cut with an ellipsis marks where the widget begins
    ends = [m.end() for m in _SENTENCE_GAP.finditer(content)]
    for at in reversed(ends[-3:]):
        tail = content[at:]
        if len(tail) > 200:
            break
        if _TAIL_CREDIT.match(tail):
            return at, "image-credit"

    return None


def _key(low: str) -> str:
    return low.lstrip("•·*-–—|>»▪►● ").rstrip(":.…»›>|→!* ")


def _classify(content: str) -> tuple[str | None, bool, _Post | None]:
    """(removed reason, weak, embedded post) for one trimmed line of at most MAX_LONG_LINE characters."""
    low = " ".join(content.casefold().split())
    post = _embed_residue(content)
    if "cookie" in low and _COOKIE_SENTENCE.match(low):
        return "cookie-banner", False, post
    if len(content) > MAX_LINE:
        return None, False, post

    image_stem = _image_stem(content)
    if image_stem is not None:
        return "image-filename", False, _caption_post(image_stem, filename=True)

    if _SEPARATOR.match(content):
        return "separator", False, post
    if post is not None and post.kind == "link" and _PIC_TWITTER.fullmatch(content):
        return "embed-widget", False, post  # a bare pic.twitter.com link: the post is recorded, the line is junk
    if len(content) <= 160 and _CREDIT.match(content):
        return "image-credit", False, post
    if _PROMOTION.match(content):
        return "promotion", False, post
    if "mazon" in content:
        widget = _AMAZON_WIDGET.search(content)
        if widget is not None and (widget.start() == 0 or (len(content) <= 90 and "..." not in content
                                                            and "…" not in content and not _SENTENCE_GAP.search(content))):
            return "promotion", False, post  # the whole line is the widget
    if _COMMENT_PROMPT.match(content):
        return "comment-form", False, post
    if _NEWSLETTER_BOX.match(content) or _FORM_LINE.match(content):
        return "newsletter", False, post
    if _HASHTAGS.match(content):
        return "hashtags", False, post

    key = _key(low)
    if not key:
        return None, False, post
    reason = _STRONG.get(key)
    if reason is not None:
        return reason, False, post
    m = _KEY_PATTERN.match(key)
    if m is not None and (m.lastgroup != "newsletter" or key.count(" ") < 25):
        return _KEY_REASONS[m.lastgroup], False, post  # type: ignore[index]
    if _SHARE_WORD_LINE.match(key):
        return "share-buttons", False, post
    reason = _WEAK.get(key)
    if reason is not None:
        return reason, True, post
    if post is None and _CAPTION_LEAD.match(content):
        post = _caption_post(content, filename=False)
    return None, False, post


def _image_stem(content: str) -> str | None:
    """The file name without extension when the line is an image file name, else None."""
    name = content
    if name[0] in "[(" and name[-1] in "])":
        name = name[1:-1].strip()
    stem, dot, ext = name.rpartition(".")
    if not dot or ext.casefold() not in _IMAGE_EXTS:
        return None
    stem = stem.rstrip()
    if not stem or not any(c.isspace() for c in stem):
        return stem
    if _FILE_PREFIX.match(stem) or _ON_PLATFORM.search(stem):
        return stem
    return None


def _caption_post(caption: str, *, filename: bool) -> _Post | None:
    """The post a screenshot caption or image file name points at, when it names an account."""
    on = _ON_PLATFORM.search(caption)
    if on is not None:
        platform = _PLATFORM_WORDS.get(on.group("p").casefold(), "unknown")
    else:
        hint = _PLATFORM_HINT.search(caption)
        if hint is None:
            platform = "unknown"
        else:
            word = (hint.group(1) or "").casefold()
            platform = _PLATFORM_WORDS[word] if word else ("telegram" if "t.me" in hint.group(0) else "twitter")
    handle = _HANDLE.search(caption)
    if handle is not None:
        return _Post("@" + handle.group(1), platform, "caption")
    if on is None:
        return None
    name = caption[: on.start()]
    lead = _STAMP.match(name) if filename else _CAPTION_LEAD.match(name)
    if lead is not None:
        name = name[lead.end():]
    name = " ".join(name.replace("_", " ").split()).strip(" -–—:|•·\"“”'‘’")
    name = re.sub(r"^\(\d{1,4}\)\s?", "", name)
    words = name.split()
    if not name or len(name) > 80 or len(words) > 10 or not any(c.isalpha() for c in name):
        return None
    if not filename and (words[0][0].islower() or any(p in name for p in ",;!?")):
        return None
    return _Post(name, platform, "caption")


def _embed_residue(content: str) -> _Post | None:
    """A tweet signature, a pic.twitter.com line, a bare post URL or an Instagram "A post shared by" line."""
    if "(@" in content:
        sig = _SIGNATURE.search(content)
        if sig is not None and (sig.group("date") or sig.start() == 0):
            return _Post("@" + sig.group("h"), "twitter", "signature")
        shared = _INSTAGRAM_SHARED.match(content)
        if shared is not None:
            return _Post("@" + shared.group("h").rstrip("."), "instagram", "caption")
    if "pic.twitter.com/" in content and _PIC_TWITTER.search(content):
        status = _POST_URLS[0][0].search(content)
        return _Post("@" + status.group("h") if status else "", "twitter", "link")
    if "/" in content and not any(c.isspace() for c in content):
        url = content.strip("<>")
        for pattern, platform, prefix in _POST_URLS:
            m = pattern.fullmatch(url)
            if m is not None:
                account = prefix + m.group("h") if "h" in pattern.groupindex else ""
                if account in ("@i", "@intent"):
                    account = ""
                return _Post(account, platform, "link")
    return None
