"""Scrape cleanup on plain text: junk lines become Removed ranges, screenshot captions and tweet residue EmbeddedPosts."""

from __future__ import annotations

import re

from pathlib import Path

import pytest

from unspun.document import Document
from unspun.ingest import cleanup

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "scraped-screenshots.txt"


def clean(text: str) -> Document:
    doc = Document(text=text)
    cleanup.run(doc)
    return doc


def check_invariants(doc: Document) -> None:
    """Offsets index the text, items come in text order, removed ranges are trimmed lines and never overlap."""
    text = doc.text
    for items in (doc.removed, doc.embedded_posts):
        assert [i.start for i in items] == sorted(i.start for i in items)
        assert len({i.id for i in items}) == len(items)
        for item in items:
            assert 0 <= item.start < item.end <= len(text)
            assert text[item.start:item.end] == item.text
            assert item.text == item.text.strip()
    for item in doc.removed:
        assert "\n" not in item.text and "\r" not in item.text
    for a, b in zip(doc.removed, doc.removed[1:]):
        assert a.end <= b.start, (a, b)


def removed(doc: Document) -> list[tuple[str, str]]:
    return [(r.text, r.reason) for r in doc.removed]


def posts(doc: Document) -> list[tuple[str, str, str]]:
    return [(p.text, p.account, p.platform) for p in doc.embedded_posts]


# --- The example article --------------------------------------------------------------------------------------------
EXPECTED_REMOVED = [
    ("3 columns", "layout-widget"),
    ("2 columns", "layout-widget"),
    ("Screenshot_2021-03-04 Gov. Mara Quill on Twitter.png", "image-filename"),
    ("pic.twitter.com/Xq7bR2mLtA", "embed-widget"),  # the post's image link; its words stay
    ("Screenshot_2021-03-04 Dale Okafor (@RepDaleOkafor) _ Twitter.png", "image-filename"),
    ("IMG_2231.jpg", "image-filename"),
    ("Screenshot_2021-03-05 Millbrook Residents for Safe Roads on Facebook.png", "image-filename"),
    ("Share this:", "share-buttons"),
    ("Click to share on Twitter (Opens in new window)", "share-buttons"),
    ("Click to share on Facebook (Opens in new window)", "share-buttons"),
    ("Email", "share-buttons"),
    ("Print", "share-buttons"),
    ("Like this:", "share-buttons"),
    ("Like Loading...", "share-buttons"),
    ("Related posts", "related-posts"),
    ("1 column", "layout-widget"),
    (
        "We use cookies to ensure that we give you the best experience on our website. "
        "If you continue to use this site we will assume that you are happy with it.",
        "cookie-banner",
    ),
    ("Accept all cookies", "cookie-banner"),
]

EXPECTED_POSTS = [
    ("Screenshot_2021-03-04 Gov. Mara Quill on Twitter.png", "Gov. Mara Quill", "twitter"),
    (
        "The bridge is a symbol of what Millbrook can achieve together. Proud to stand with the builders! "
        "pic.twitter.com/Xq7bR2mLtA\n— Mara Quill (@GovMaraQuill) March 4, 2021",
        "@GovMaraQuill",
        "twitter",
    ),
    ("Screenshot_2021-03-04 Dale Okafor (@RepDaleOkafor) _ Twitter.png", "@RepDaleOkafor", "twitter"),
    (
        "Screenshot_2021-03-05 Millbrook Residents for Safe Roads on Facebook.png",
        "Millbrook Residents for Safe Roads",
        "facebook",
    ),
]


@pytest.fixture(scope="module")
def example_text() -> str:
    with open(EXAMPLE, encoding="utf-8", newline="") as fh:
        return fh.read()


def test_example_junk_and_posts(example_text: str) -> None:
    doc = clean(example_text)
    check_invariants(doc)
    assert removed(doc) == EXPECTED_REMOVED
    assert posts(doc) == EXPECTED_POSTS


def test_example_paragraphs_untouched(example_text: str) -> None:
    doc = clean(example_text)
    flagged = [(r.start, r.end) for r in doc.removed]
    paragraphs = [
        line for line in example_text.split("\n")
        if len(line) > 60 and line.endswith((".", '"')) and not line.startswith(("We use cookies", "The bridge is"))
    ]
    assert len(paragraphs) >= 9
    for para in paragraphs:
        start = example_text.index(para)
        end = start + len(para)
        assert not any(s < end and start < e for s, e in flagged), para
    # Headline, byline and the related-post headlines stay: they cannot be told from real sub-headings.
    for line in ("The Bridge to Nowhere:", "By Tessa Varga", "Quill Unveils Skyline Crossing Renderings"):
        start = example_text.index(line)
        assert not doc.is_removed(start, start + len(line))


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_other_line_endings_keep_offsets(example_text: str, newline: str) -> None:
    converted = example_text.replace("\n", newline)
    doc = clean(converted)
    check_invariants(doc)
    assert removed(doc) == EXPECTED_REMOVED
    assert [(a, p) for _, a, p in posts(doc)] == [(a, p) for _, a, p in EXPECTED_POSTS]
    merged = doc.embedded_posts[1].text
    assert merged.endswith("— Mara Quill (@GovMaraQuill) March 4, 2021") and newline in merged
    for item in doc.removed:
        assert newline not in item.text


def test_mixed_line_endings_and_edge_whitespace() -> None:
    text = "\ufeff  Share this:  \r\nPara one is here.\r  \t3 columns\u00a0\n\u200bIMG_0001.JPG\u200b\r\n"
    doc = clean(text)
    check_invariants(doc)
    assert removed(doc) == [
        ("Share this:", "share-buttons"),
        ("3 columns", "layout-widget"),
        ("IMG_0001.JPG", "image-filename"),
    ]
    assert doc.removed[0].start == 3


# --- Individual rules -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("IMG_1234.jpg", "image-filename"),
        ("photo.jpeg", "image-filename"),
        ("[chart].png", "image-filename"),
        ("animation.gif", "image-filename"),
        ("cover.webp", "image-filename"),
        ("Screenshot_20200102-101112_Twitter.jpg", "image-filename"),
        ("WhatsApp Image 2021-01-02 at 10.11.12.jpeg", "image-filename"),
        ("3 columns", "layout-widget"),
        ("1 column", "layout-widget"),
        ("Share this:", "share-buttons"),
        ("Share on Facebook", "share-buttons"),
        ("Click to email a link to a friend (Opens in new window)", "share-buttons"),
        ("Like Loading…", "share-buttons"),
        ("Facebook Twitter WhatsApp Email", "share-buttons"),
        ("Related", "related-posts"),
        ("You may also like", "related-posts"),
        ("Read more:", "related-posts"),
        ("READ MORE: Council approves new budget", "related-posts"),
        ("This website uses cookies to improve your experience.", "cookie-banner"),
        ("By continuing to browse this site you agree to our use of cookies.", "cookie-banner"),
        ("Accept all cookies", "cookie-banner"),
        ("Advertisement", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("Subscribe to our newsletter", "newsletter"),
        ("Sign up for our newsletter and get the week's news in your inbox.", "newsletter"),
        ("View this post on Instagram", "embed-widget"),
        ("Leave a Reply", "comment-form"),
        ("Skip to content", "navigation"),
    ],
)
def test_junk_line_reasons(line: str, reason: str) -> None:
    doc = clean(f"An opening paragraph of the article.\n\n{line}\n\nA closing paragraph of the article.\n")
    check_invariants(doc)
    assert removed(doc) == [(line, reason)]


def test_long_cookie_banner_line() -> None:
    banner = ("We and our partners use cookies and similar technologies to store and access information on your device, "
              "to personalise content and ads, to provide social media features and to analyse our traffic. You can "
              "change your choices at any time in the privacy settings.")
    assert 200 < len(banner) <= 500
    assert removed(clean(f"Text.\n{banner}\n")) == [(banner, "cookie-banner")]


def test_weak_labels_need_junk_neighbours() -> None:
    # Sub-headings of an article about platforms stay.
    article = ("How each platform is responding\n\nFacebook\n\nThe company said it would label posts.\n\n"
               "Twitter\n\nThe company said nothing at all.\n\nEmail\n\nOld chain letters are back.\n")
    assert clean(article).removed == []
    # The same words in a share bar go.
    bar = "Last paragraph.\n\nShare this:\nTwitter\nFacebook\nTweet\n\nNext\n"
    assert removed(clean(bar)) == [("Share this:", "share-buttons"), ("Twitter", "share-buttons"),
                                   ("Facebook", "share-buttons"), ("Tweet", "share-buttons")]
    assert removed(clean("Para.\nEmail\nPrint\nPara.\n")) == [("Email", "share-buttons"), ("Print", "share-buttons")]


@pytest.mark.parametrize(
    "sentence",
    [
        "The newspaper's opinion columns have been full of the story for weeks.",
        "3 columns of troops marched into the square at dawn, witnesses said.",
        "Volunteers sold cookies outside the polling station.",
        "We use cookies, the baker joked, as a kind of currency in this town, and everyone laughed before the vote.",
        "The minister said on Twitter that the report was a fabrication.",
        "Jane Doe on Twitter called it a disgrace.",
        "Read the full statement below.",
        "He shared IMG_1234.jpg with reporters before deleting it.",
        "Share prices fell sharply after the announcement.",
        "Related parties must disclose their interests, the regulator said.",
        "Subscribers to the newsletter were told the plant would close.",
        "Screenshots shared on Facebook show the crowd.",
        "She linked to box.com/janedoe/status/123 in the thread.",
        "Advertisement revenue fell by a third last year.",
        "Printing costs rose, and the email was sent late.",
    ],
)
def test_sentences_are_not_flagged(sentence: str) -> None:
    doc = clean(f"Headline\n\n{sentence}\n\nAnother paragraph follows here.\n")
    assert doc.removed == []
    assert doc.embedded_posts == []


def test_over_200_characters_is_never_junk() -> None:
    line = "Share this: " + "word " * 60
    assert clean(line).removed == []


# --- Embedded posts -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "account", "platform"),
    [
        ("Screenshot_2020-01-02 Some Account on Twitter.png", "Some Account", "twitter"),
        ("Screenshot 2023-04-05 at 10-11-12 Jane Roe on X.png", "Jane Roe", "twitter"),
        ("Screenshot_2020-01-02 (3) Jane Roe on Facebook.jpg", "Jane Roe", "facebook"),
        ("Screenshot_2022-03-01 Rybar on Telegram.png", "Rybar", "telegram"),
        ("Screenshot_2022-03-01 Jane Roe on Instagram.png", "Jane Roe", "instagram"),
        ("Screenshot_2022-03-01 Jane Roe on Threads.png", "Jane Roe", "unknown"),
        ("Screenshot_2020-01-02 Jane Doe (@janedoe) _ Twitter.png", "@janedoe", "twitter"),
        ("Screenshot_2020-01-02 post by @janedoe.png", "@janedoe", "unknown"),
        ("Screenshot_2020-01-02_Jane_Doe_on_Twitter.png", "Jane Doe", "twitter"),
    ],
)
def test_image_caption_posts(line: str, account: str, platform: str) -> None:
    doc = clean(f"Paragraph.\n{line}\nParagraph.\n")
    check_invariants(doc)
    assert removed(doc) == [(line, "image-filename")]
    assert posts(doc) == [(line, account, platform)]


def test_image_without_account_is_no_post() -> None:
    doc = clean("Paragraph.\nScreenshot_20200102-101112_Twitter.jpg\nIMG_1234.jpg\nScreenshot_2020 Protest on Main St.png\n")
    assert [r.reason for r in doc.removed] == ["image-filename"] * 3
    assert doc.embedded_posts == []


@pytest.mark.parametrize(
    ("text", "post_text", "account", "platform"),
    [
        ("Intro.\n— Jane Doe (@janedoe) January 2, 2020\nOutro.", "— Jane Doe (@janedoe) January 2, 2020",
         "@janedoe", "twitter"),
        ("Intro.\nWe will win. pic.twitter.com/AbCd123 — Jane Doe (@janedoe) 2 January 2020\n",
         "We will win. pic.twitter.com/AbCd123 — Jane Doe (@janedoe) 2 January 2020", "@janedoe", "twitter"),
        ("Intro.\nWe will win. pic.twitter.com/AbCd123\r\n\r\n— Jane Doe (@janedoe) Jan 2, 2020\r\nOutro.",
         "We will win. pic.twitter.com/AbCd123\r\n\r\n— Jane Doe (@janedoe) Jan 2, 2020", "@janedoe", "twitter"),
        ("Intro.\nLook at this pic.twitter.com/AbCd123\nOutro.", "Look at this pic.twitter.com/AbCd123", "", "twitter"),
        ("Intro.\nhttps://twitter.com/janedoe/status/1234567890\n", "https://twitter.com/janedoe/status/1234567890",
         "@janedoe", "twitter"),
        ("Intro.\nhttps://x.com/janedoe/status/1234567890?s=20\n", "https://x.com/janedoe/status/1234567890?s=20",
         "@janedoe", "twitter"),
        ("Intro.\nhttps://t.me/somechannel/4521\n", "https://t.me/somechannel/4521", "@somechannel", "telegram"),
        ("Intro.\nhttps://www.instagram.com/p/CAbc123/\n", "https://www.instagram.com/p/CAbc123/", "", "instagram"),
        ("Intro.\nA post shared by Jane Doe (@jane.doe) on Jan 2, 2020 at 10:11am PST\n",
         "A post shared by Jane Doe (@jane.doe) on Jan 2, 2020 at 10:11am PST", "@jane.doe", "instagram"),
        ("Intro.\nScreenshot: Gov. Mara Quill on Facebook\n", "Screenshot: Gov. Mara Quill on Facebook",
         "Gov. Mara Quill", "facebook"),
        ("Intro.\n(Screenshot of a tweet by @janedoe)\n", "(Screenshot of a tweet by @janedoe)", "@janedoe", "twitter"),
    ],
)
def test_embed_residue_posts(text: str, post_text: str, account: str, platform: str) -> None:
    doc = clean(text)
    check_invariants(doc)
    # residue lines carry the post's own words: they are evidence, not junk; only a trailing image link goes
    assert [(r.text, r.reason) for r in doc.removed] == [
        (m, "embed-widget") for m in re.findall(r"pic\.twitter\.com/\w+(?=\r?\n|$)", text)]
    assert posts(doc) == [(post_text, account, platform)]


def test_signature_inside_prose_needs_a_date() -> None:
    doc = clean("The best line came from a rival — Jane Doe (@janedoe)\nNext.\n")
    assert doc.embedded_posts == []


# --- Hostile input --------------------------------------------------------------------------------------------------
def test_fifty_megabyte_single_line() -> None:
    text = "Share this: " * (50_000_000 // 12)
    doc = clean(text)
    assert doc.removed == [] and doc.embedded_posts == []
    doc = clean("Advertisement\n" + "x" * 50_000_000 + "\nIMG_1.png")
    assert removed(doc) == [("Advertisement", "advertisement"), ("IMG_1.png", "image-filename")]
    assert doc.removed[1].start == len(doc.text) - 9


def test_one_million_short_lines() -> None:
    block = ["A short line of prose.", "Another one, \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627.",
             "e\u0301\u0301\u0301 combining", "nul\x00byte", ""] * 199 + ["3 columns", "Advertisement", "", "ok", "x"]
    lines = block * 1000
    assert len(lines) == 1_000_000
    text = "\r\n".join(lines)
    doc = clean(text)
    assert len(doc.removed) == 2000
    assert {r.reason for r in doc.removed} == {"layout-widget", "advertisement"}
    for r in doc.removed[:10] + doc.removed[-10:]:
        assert text[r.start:r.end] == r.text
    assert doc.embedded_posts == []


@pytest.mark.parametrize(
    "text",
    [
        "\x00" * 1000,
        "\x00\n\x00Share this:\x00\n",
        "\u202eShare this:\u202c\n",
        "\u200b\u200b\n\ufeff\n",
        "(" * 5000 + "@a)" + " January 2, 2020",
        "— " + "x" * 190 + " (@a) Jan 2, 2020",
        "-" * 400 + "(@abc)",
        "Screenshot " + "on " * 60 + "Twitter.png",
        "@" * 300 + ".png",
        "pic.twitter.com/abcd " * 20,
        "\r" * 10000 + "IMG_1.png" + "\n\r" * 10000,
        "a\u0301" * 100 + ".jpg",
        "\u2028Share this:\u2029\x85",
    ],
)
def test_odd_input_never_fails(text: str) -> None:
    doc = clean(text)
    check_invariants(doc)


# --- credits, rules and promotions (hand-written in the shapes real pages carry) ----------------------------------
@pytest.mark.parametrize("line, reason", [
    ("Credit: Ana Ruiz/Harbour Press (CC BY 2.0)", "image-credit"),
    ("Photo credit: Tom Ellery", "image-credit"),
    ("Photo: AP", "image-credit"),
    ("[Mara Quill/ Example Wire]", "image-credit"),
    ("© Provided by Example News", "image-credit"),
    ("Copyright 2021 Example Media Group", "image-credit"),
    ("(c) 2019 Coastal Times", "image-credit"),
    ("Courtesy of the Port Ellery Museum", "image-credit"),
    ("____________________", "separator"),
    ("* * *", "separator"),
    ("Article posted with permission from Example Daily", "promotion"),
    ("This article originally appeared on Example Weekly.", "promotion"),
    ("Harbour Secrets: A History... Jane Doe Check Amazon for Pricing.", "promotion"),
    ("Follow her on Twitter: @janedoe", "promotion"),
    ("[Pre-order the new book by Jane Doe here]", "promotion"),
    ("take our poll - story continues below", "promotion"),
    ("Editors' Recommendations:", "promotion"),
    ("pic.twitter.com/Ab3dE5fG7h", "embed-widget"),
    ("What did you make of the final? Tell us in the comments below.", "comment-form"),
    ("Love it or hate it? Sound off down below!", "comment-form"),
    ("Sign up to receive our best stories of the week, picked by our editors.", "newsletter"),
    ("Harbour Gazette Newsletter", "newsletter"),
    ("#HarbourNews", "hashtags"),
    ("#election, #harbour #vote", "hashtags"),
    ("Visit her website at janedoe.example, and reach her at jane@example.org", "promotion"),
    ("Send us your letters to the editor using the form on this page.", "promotion"),
    ("Coastal Times Poll: cast your vote on the ferry plan.", "promotion"),
])
def test_credit_rule_and_promotion_lines(line: str, reason: str) -> None:
    doc = clean(f"The council met on Monday.\n\n{line}\n\nThe vote was close.\n")
    check_invariants(doc)
    assert removed(doc) == [(line, reason)]


@pytest.mark.parametrize("sentence", [
    "Copyright law was changed in 2019 by the parliament after a long debate.",
    "Photo: Protesters gather outside the town hall on Monday as the council votes on the harbour plan",
    "(c) the third option, which nobody on the council wanted, was a sale.",
    "Credit card debt rose 5% last year, the central bank said.",
    "The minister said she would follow him on every point of the plan.",
    "Tell us what happened next, the ferry captain said in the comments below the video.",
    "Residents can sign up for the scheme at the town hall until Friday.",
    "Readers can sign up to get the leaflet at the library, the council said.",
    "#1 in the charts for six weeks, the single sold a million copies.",
    "Our Newsletter Was Wrong About The Ferry, And Here Is Why",
    "Let us know by Friday, the council told residents.",
])
def test_article_sentences_like_credits_stay(sentence: str) -> None:
    doc = clean(f"The council met on Monday.\n\n{sentence}\n\nThe vote was close.\n")
    assert removed(doc) == []


def test_a_bare_pic_twitter_line_is_still_a_post() -> None:
    doc = clean("The senator posted a photo.\n\npic.twitter.com/Ab3dE5fG7h\n\nHer office declined to comment.\n")
    assert [p.platform for p in doc.embedded_posts] == ["twitter"]


def test_a_block_of_teasers_at_the_end_is_related_posts():
    text = ("The council met on Monday and approved the ferry plan.\n\nThe vote was close.\n\n"
            "Harbour Radio (previously) is back with a new series on the town's fishing families, and the first "
            "episode looks at the winter of 1963 when the port froze over and […]\n\t\t\n"
            "The latest podcast from the Coastal Network looks at the families who have run the port for a century.\n"
            "Want to learn to sail? These online classes can teach anyone to handle a dinghy in a week, with methods "
            "that make the […]\n")
    doc = clean(text)
    check_invariants(doc)
    reasons = removed(doc)
    assert [r for _, r in reasons] == ["related-posts"] * 3
    assert all("council" not in t and "vote was close" not in t for t, _ in reasons)


@pytest.mark.parametrize("heading, reason", [("Editors’ Recommendations:", "promotion"),
                                             ("Related posts", "related-posts"), ("Read more:", "related-posts")])
def test_headline_list_items_under_a_related_heading_are_related_posts(heading: str, reason: str) -> None:
    text = ("The ferry will run from June, the council said.\n\n" + heading + "\n"
            "- Crates are leaving the harbour and the traders are scrambling\n\n"
            "* Holy smoke, the lighthouse is getting a café\r\n"
            "• Review: The Winter Port – ice, so much ice (but no ferry)\n"
            "1. The council approved the plan on Monday after a long debate.\n"  # a sentence: not a headline
            "- A teaser after it is not taken\n\n"
            "Next season's timetable is due in May.\n")
    doc = clean(text)
    check_invariants(doc)
    assert removed(doc) == [(heading, reason),
                            ("- Crates are leaving the harbour and the traders are scrambling", "related-posts"),
                            ("* Holy smoke, the lighthouse is getting a café", "related-posts"),
                            ("• Review: The Winter Port – ice, so much ice (but no ferry)", "related-posts")]


@pytest.mark.parametrize("text", [
    # an article's own list has no junk heading above it
    "The residents want three things:\n- a ferry every hour in summer\n- lower fares\n- a new pier\n",
    # nor does a list after article text that merely follows a junk line further up
    "Related posts\n\nThe residents want three things:\n- a ferry every hour\n- lower fares\n",
    # a list separated from the heading by article text
    "Recommended:\nThe ferry is late again.\n- a ferry every hour\n",
])
def test_lists_without_a_junk_heading_right_above_stay(text: str) -> None:
    doc = clean(text)
    assert not [t for t, _ in removed(doc) if t.startswith("-")]


def test_an_article_paragraph_that_elides_a_quotation_stays():
    text = ("The report said the plan \"was flawed from the start and […]\"\n\nThe minister disagreed. "
            "She said the plan was sound.\n\nThe ferry will run from June, the council said.\n")
    doc = clean(text)
    assert removed(doc) == []
    one = "The council met.\n\nAn excerpt of another story that ends as excerpts do […]\n"
    assert removed(clean(one)) == []  # one teaser alone is no block


@pytest.mark.parametrize("line, tail, reason", [
    ("They carved it in Napo province. Credit: Ana Ruiz/Harbour Press (CC BY-NC-ND 2.0)",
     "Credit: Ana Ruiz/Harbour Press (CC BY-NC-ND 2.0)", "image-credit"),
    ("The minister said the teams were on their way [Jane Doe/ Example Wire]", "[Jane Doe/ Example Wire]",
     "image-credit"),
    ("That is the whole “security” story. Harbour Secrets: A Hist... Jane Doe Check Amazon for Pricing.",
     "Harbour Secrets: A Hist... Jane Doe Check Amazon for Pricing.", "promotion"),
])
def test_junk_at_the_end_of_an_article_line_is_marked_alone(line: str, tail: str, reason: str) -> None:
    doc = clean(f"The council met on Monday.\n\n{line}\n\nThe vote was close.\n")
    check_invariants(doc)
    assert removed(doc) == [(tail, reason)]


@pytest.mark.parametrize("line", [
    "He said so. Credit card debt rose 5% last year.",
    "The card has a credit: limit of 500 dollars, the bank said.",
    "The scores were level [1/2] at half time, the referee said.",
])
def test_article_lines_with_credit_words_stay_whole(line: str) -> None:
    assert removed(clean(f"The council met on Monday.\n\n{line}\n\nThe vote was close.\n")) == []


def test_a_bookshop_widget_glued_to_an_article_line_is_marked_alone():
    line = ("the harbour board, engaged in actions Harbour Secrets: A Hist... Jane Doe Check Amazon for Pricing.")
    doc = clean(f"The council met on Monday and\n{line}\nThe vote was close.\n")
    check_invariants(doc)
    assert removed(doc) == [("Harbour Secrets: A Hist... Jane Doe Check Amazon for Pricing.", "promotion")]


def test_a_credit_glued_to_the_start_of_an_article_line_is_marked_alone():
    line = "© Provided by Al Jazeera The minister said the teams were on their way."
    doc = clean(f"The council met on Monday.\n\n{line}\n\nThe vote was close.\n")
    check_invariants(doc)
    assert removed(doc) == [("© Provided by Al Jazeera", "image-credit")]
    unknown = "© Provided by Harbour Gazette The minister said the teams were on their way."
    assert removed(clean(f"The council met.\n\n{unknown}\n")) == []  # an outlet it cannot name: no cut at all


def test_a_line_with_a_credit_at_both_ends_keeps_its_middle():
    line = "© Provided by Al Jazeera The minister said the teams were on their way [Jane Doe/ Example Wire]"
    doc = clean(f"The council met on Monday.\n\n{line}\n")
    check_invariants(doc)
    assert removed(doc) == [("© Provided by Al Jazeera", "image-credit"), ("[Jane Doe/ Example Wire]", "image-credit")]


def test_a_poll_block_goes_whole_from_its_heading_to_its_fine_print():
    """The recurring poll widget of scraped blogs: its question and answers between "take our poll" and the form's
    fine print are junk too, as are the form's fields ("Email *", "… should be left unchanged.")."""
    text = ("The harbour vote was delayed again on Monday.\n"
            "take our poll - story continues below\n"
            "Should the harbour be sold?\nShould the harbour be sold?\n"
            "* Yes, sell it now.\nNo, keep it public.\n"
            "Email *\nName This field is for validation purposes and should be left unchanged.\n"
            "Completing this poll grants you access to Harbour Watch updates free of charge.\n"
            "You may opt out at anytime.\nYou also agree to this site's Privacy Policy and Terms of Use.\n"
            "The council will meet again in March.\n")
    doc = clean(text)
    check_invariants(doc)
    gone = [t for t, _ in removed(doc)]
    for line in ("Should the harbour be sold?", "* Yes, sell it now.", "No, keep it public.", "Email *",
                 "You may opt out at anytime.", "You also agree to this site's Privacy Policy and Terms of Use."):
        assert line in gone, line
    assert not any("harbour vote was delayed" in t or "council will meet" in t for t in gone)


def test_text_after_take_our_poll_stays_when_no_poll_fine_print_closes_it():
    text = ("The harbour vote was delayed again on Monday.\n"
            "take our poll - story continues below\n"
            "The council will meet again in March.\nResidents say the harbour must stay public.\n")
    doc = clean(text)
    assert [t for t, _ in removed(doc)] == ["take our poll - story continues below"]
