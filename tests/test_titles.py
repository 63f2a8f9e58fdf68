"""Titles of works (runtime/titles.py): found with and without quotation marks, and only where the text introduces
one. Hand-written sentences, not copies of any data set."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspun.runtime.titles import title_share, titles_of_works, unquoted_titles


def _found(text: str) -> list[str]:
    return [text[s:e] for s, e in unquoted_titles(text)]


@pytest.mark.parametrize("text, title", [
    ("Her debut graphic novel Koko Be Good came out in 2010.", "Koko Be Good"),
    ("His new book is Traitors Among Us: How They Sold Us Out, Lied, and Laughed.",
     "Traitors Among Us: How They Sold Us Out, Lied, and Laughed"),
    ("She is the author of the critically-acclaimed, Empire of Lies: The Real Story.", "Empire of Lies: The Real Story"),
    ("He hosts the web-tv show, The Night Patrol.", "The Night Patrol"),
    ("The generation we love to mock (via Nerds Are Cool)", "Nerds Are Cool"),
    ("A story on the Austrian Catholic website Kath.net said so.", "Kath.net"),
    ("He published a book titled Collusion: Secret Meetings and Dirty Money.", "Collusion: Secret Meetings and Dirty Money"),
    ("She was interviewed about ABC's TV show Scandal.", "Scandal"),
    ("A report from the conservative site The Gateway Pundit spread fast.", "The Gateway Pundit"),
    ("The theatre premiered her play Cleanliness last May.", "Cleanliness"),
    ("On his website, Infowars.com, he sells pills.", "Infowars.com"),
    ("The book, titled, Man of the World, sold well.", "Man of the World"),
])
def test_a_title_the_text_introduces_is_found_whole(text, title):
    assert _found(text) == [title]


@pytest.mark.parametrize("text", [
    "Court records show Patel changed his plea.",  # "show" as a verb
    "As the lead author of the study, Dr Smith said, the sample was small.",  # a person after a work noun
    "The author of the story, Luke Harding, declined to comment.",
    "I praised Martin's book, Cardinal Farrell wrote.",  # a title of a person
    "Throughout his book, Wills' argument holds.",  # a possessive
    "Pat Buchanan's Nixon Book Provides Road Map For Trump",  # a headline: "Book" is no noun for a work here
    "The crowd was angry, the book says nothing about it.",  # no capitalised words after the noun
    "Recent polls show Clinton ahead, and the videos show Scott leaving.",  # "show" as a verb
    "In the book, Byrne argues the opposite.",  # after "the book," the clause's subject
    "He met the author of the book, Mitchell Zuckoff, on Friday.",
    "On his website, Sanders wrote that he would stay.",  # one plain word after a possessive and a comma
    "It was the site Saturday of the pillow fight.",  # "site" as a place
    "The author of that boast, Muhammad Ali, smiled.",
    "We heard it on Hugh Hewitt's radio show Thursday.",  # a day
])
def test_no_title_where_the_text_introduces_none(text):
    assert _found(text) == []


def test_quoted_and_unquoted_titles_merge_and_a_span_is_measured_by_its_share_inside():
    text = ('The article "Why the Wall Must Fall" (Page A2) was wrong. His new book, Traitors Among Us, is worse. '
            "Traitors are everywhere.")
    titles = [text[s:e] for s, e in titles_of_works(text)]
    assert titles == ["Why the Wall Must Fall", "Traitors Among Us"]
    k = text.index("Traitors Among Us")
    assert title_share(text, k, k + len("Traitors")) == 1.0
    assert title_share(text, k - len("book, "), k + len("Traitors Among Us")) == 15 / 20  # "book," is outside
    later = text.rindex("Traitors")
    assert title_share(text, later, later + len("Traitors")) == 0.0
    both = text.index("Wall"), k + len("Traitors")  # across two titles: only their parts inside count
    inside = len("WallMustFall") + len("Traitors")
    assert title_share(text, *both) == pytest.approx(inside / sum(not c.isspace() for c in text[slice(*both)]))
    assert title_share("no titles here", 0, 2) == 0.0
    assert title_share(text, 3, 3) == 0.0


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["the", "his new", "book", "book,", "website", "author of", "(via", ")", "Gloom",
                                 "Harbour", "of", "and", ":", ",", "Dr", "Jamie's", "“", "”", '"', "Re.", "show",
                                 "x's'", "A.B", "\n", "Page A2"]), max_size=40))
def test_titles_are_sorted_disjoint_spans_of_the_text(words):
    text = " ".join(words)
    titles = titles_of_works(text)
    assert all(0 <= s < e <= len(text) for s, e in titles)
    assert all(a[1] < b[0] for a, b in zip(titles, titles[1:]))  # merged: sorted, apart
    for s, e in titles:
        assert title_share(text, s, e) == 1.0 or not text[s:e].strip()
