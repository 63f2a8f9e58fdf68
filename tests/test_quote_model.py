"""Decoding of the quote tagger's output (role runs, split quotes, linking), with hand-made tag probabilities."""

import numpy as np

from unspun.runtime.quote_model import TAGS, link, role_segments


def _tagged(text: str, spans: list[tuple[str, str]]):
    """Word tokens of `text` with one-hot tag probabilities: `spans` are (substring, role) in order."""
    import re

    words = [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)]
    offsets = np.array(words, dtype=np.int64)
    labels = np.zeros(len(words), dtype=np.int64)
    pos = 0
    for sub, role in spans:
        s = text.index(sub, pos)
        e = s + len(sub)
        pos = e
        idx = [i for i, (a, _) in enumerate(words) if s <= a < e]
        labels[idx] = TAGS.index(f"I-{role}")
        labels[idx[0]] = TAGS.index(f"B-{role}")
    probs = np.eye(len(TAGS))[labels] * 0.9 + 0.1 / len(TAGS)
    return offsets, probs


def test_split_quote_is_one_content_in_two_parts():
    text = '“We will not back down,” said Jane Roe. “Not now, not ever.”'
    offsets, probs = _tagged(text, [("“We will not back down,”", "CON"), ("said", "CUE"), ("Jane Roe", "SRC"),
                                    ("“Not now, not ever.”", "CON")])
    atts = link(text, role_segments(text, offsets, probs), min_content_chars=4)
    assert len(atts) == 1
    att = atts[0]
    assert [text[s:e] for s, e in att.parts] == ["“We will not back down,”", "“Not now, not ever.”"]
    assert text[att.cue[0]:att.cue[1]] == "said"
    assert text[att.source[0]:att.source[1]] == "Jane Roe"


def test_two_speakers_in_a_row_stay_two_attributions():
    text = "Smith said taxes would rise. Jones said they would fall."
    offsets, probs = _tagged(text, [("Smith", "SRC"), ("said", "CUE"), ("taxes would rise", "CON"),
                                    ("Jones", "SRC"), ("said", "CUE"), ("they would fall", "CON")])
    atts = link(text, role_segments(text, offsets, probs), min_content_chars=4)
    assert [text[a.start:a.end] for a in atts] == ["taxes would rise", "they would fall"]
    assert [text[a.source[0]:a.source[1]] for a in atts] == ["Smith", "Jones"]


def test_contents_in_other_paragraphs_are_not_linked_to_a_far_source():
    text = "Smith said taxes would rise.\n\nThe budget is thought to be too small by some."
    offsets, probs = _tagged(text, [("Smith", "SRC"), ("said", "CUE"), ("taxes would rise", "CON"),
                                    ("too small", "CON")])
    atts = link(text, role_segments(text, offsets, probs), min_content_chars=4)
    assert atts[1].source is None and atts[1].cue is None


def test_short_contents_are_dropped():
    text = "Smith said no."
    offsets, probs = _tagged(text, [("Smith", "SRC"), ("said", "CUE"), ("no", "CON")])
    assert link(text, role_segments(text, offsets, probs), min_content_chars=4) == []


def test_subword_edges_extend_to_whole_words():
    text = "Officials announced unexpectedly large cuts."
    offsets = np.array([[0, 9], [10, 19], [20, 22], [22, 32], [33, 38], [39, 43]], dtype=np.int64)
    labels = [TAGS.index(t) for t in ("B-SRC", "B-CUE", "O", "B-CON", "I-CON", "I-CON")]
    probs = np.eye(len(TAGS))[labels]
    segs = role_segments(text, offsets, probs)
    con = [s for s in segs if s.role == "CON"][0]
    assert text[con.start:con.end] == "unexpectedly large cuts"


def test_empty_input():
    assert role_segments("", np.zeros((0, 2), dtype=np.int64), np.zeros((0, len(TAGS)))) == []
