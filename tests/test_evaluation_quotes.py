"""The PolNeAR quote scorer: the 50%-of-the-longer-span rule, one-to-one matching, speaker accuracy, kinds."""

from unspun.evaluation.quotes import Item, gold_kind, match, overlap, score


def test_overlap_counts_characters_across_parts():
    assert overlap([(0, 10), (20, 30)], [(5, 25)]) == 10


def test_match_needs_half_of_the_longer_span():
    gold = [Item([(0, 100)], None)]
    assert match([Item([(0, 50)], None)], gold) == [(0, 0)]
    assert match([Item([(0, 49)], None)], gold) == []
    assert match([Item([(0, 210)], None)], gold) == []  # too long: 100 < 0.5 * 210


def test_matching_is_one_to_one():
    gold = [Item([(0, 100)], None)]
    pred = [Item([(0, 100)], None), Item([(0, 90)], None)]
    assert match(pred, gold) == [(0, 0)]


def test_scores_and_speaker_accuracy():
    gold = [Item([(0, 50)], (60, 65), "direct"), Item([(100, 150)], None, "indirect"), Item([(200, 250)], (190, 195), "indirect")]
    pred = [Item([(0, 50)], (60, 65), "direct"), Item([(100, 150)], (90, 95), "indirect"), Item([(300, 350)], None, "indirect")]
    s = score([(pred, gold)])
    assert s["content"]["matched"] == 2
    assert s["content"]["precision"] == s["content"]["recall"] == round(2 / 3, 4)
    assert s["speaker_accuracy"] == 0.5  # the second match names a speaker where the gold has none
    assert s["direct"]["recall"] == 1.0 and s["indirect"]["recall"] == 0.5


def test_gold_kind_reads_the_opening_mark():
    text = '“Go,” he said. He said to go.'
    assert gold_kind(text, [(0, 5)]) == "direct"
    assert gold_kind(text, [(23, 28)]) == "indirect"


# --- kinds, the union of source parts, and ties ---------------------------------------------------------------------
def test_pred_items_map_quote_kinds_to_direct_or_indirect():
    from unspun.document import Document, Quote

    from unspun.evaluation.quotes import pred_items

    text = '“Go home,” she said. “We lost” and more, he said. A block of text. “Odd” one. Not marked at all.'
    doc = Document(text=text)

    def add(fragment, kind, speaker=None, parts=()):
        s = text.index(fragment)
        return doc.add(Quote, s, s + len(fragment), kind=kind, speaker_start=speaker[0] if speaker else None,
                       speaker_end=speaker[1] if speaker else None, parts=[list(p) for p in parts])

    she = text.index("she")
    add("“Go home,”", "direct", (she, she + 3))
    add("“We lost” and more", "mixed", parts=[(21, 30), (31, 39)])
    add("A block of text.", "block")
    add("“Odd”", "indirect")
    add("Not marked at all", "direct")
    items = pred_items(doc)
    # direct, mixed and block count as direct only when the quote opens with a quotation mark; indirect stays
    # indirect even with a mark
    assert [i.kind for i in items] == ["direct", "direct", "indirect", "indirect", "indirect"]
    assert items[0].speaker == (she, she + 3) and items[1].speaker is None
    assert items[0].parts == [(0, 10)]  # no parts: the whole quote is one part
    assert items[1].parts == [(21, 30), (31, 39)] and items[1].length == 17


def test_per_kind_scores_by_hand():
    # gold: two direct, one indirect; pred: two labelled direct, one indirect.
    gold = [Item([(0, 40)], None, "direct"), Item([(100, 140)], None, "direct"), Item([(200, 240)], None, "indirect")]
    pred = [Item([(0, 40)], None, "direct"), Item([(300, 340)], None, "direct"), Item([(200, 240)], None, "indirect")]
    s = score([(pred, gold)])
    # overall: 2 matches of 3 predicted and 3 gold: P = R = F1 = 2/3
    assert (s["content"]["precision"], s["content"]["recall"], s["content"]["f1"]) == (0.6667, 0.6667, 0.6667)
    # direct: 1 match, 2 labelled direct, 2 gold direct: P = R = 0.5; indirect: 1 of 1 both ways
    assert (s["direct"]["precision"], s["direct"]["recall"], s["direct"]["f1"]) == (0.5, 0.5, 0.5)
    assert (s["indirect"]["precision"], s["indirect"]["recall"], s["indirect"]["f1"]) == (1.0, 1.0, 1.0)
    assert s["speaker_accuracy"] == 1.0  # both matches have no speaker on either side


def test_gold_source_is_the_union_of_its_parts():
    from unspun.evaluation.quotes import gold_items
    from unspun.datasets.polnear import Article, Attribution

    text = "The mayor, Jane Roe, and her deputy said that the budget was fixed."
    assert text[11:19] == "Jane Roe" and text[25:35] == "her deputy"
    content = (text.index("the budget"), len(text) - 1)
    source = [(0, 9), (text.index("her deputy"), text.index("her deputy") + 10)]  # "The mayor" … "her deputy"
    article = Article("a", "x", text, [Attribution([content], source=source), Attribution([content])])
    first, second = gold_items(article)
    assert first.speaker == (0, 35) and second.speaker is None  # first start to last end; no source: None
    assert first.kind == second.kind == "indirect"
    # so a predicted speaker inside the gap between the parts ("Jane Roe", 11-19) is right, and one that only
    # touches the union's end (35-40, " said") is not: spans are end-exclusive
    right = score([([Item([content], (11, 19))], [first])])
    wrong = score([([Item([content], (35, 40))], [first])])
    assert right["speaker_accuracy"] == 1.0 and wrong["speaker_accuracy"] == 0.0


def test_ties_go_to_the_later_index():
    # Pairs are taken best overlap first; equal overlaps are taken in reverse index order (the pairs are sorted
    # as (ratio, pred, gold) tuples, descending), so the later prediction wins a tie.
    gold = [Item([(0, 100)], (110, 115), "direct")]
    pred = [Item([(0, 100)], (110, 115), "direct"), Item([(0, 100)], (120, 125), "direct")]
    assert match(pred, gold) == [(1, 0)]
    s = score([(pred, gold)])
    # content: 1 match, 2 predicted, 1 gold: P = 0.5, R = 1, F1 = 2/3; the matched (later) one names the wrong speaker
    assert (s["content"]["precision"], s["content"]["recall"], s["content"]["f1"]) == (0.5, 1.0, 0.6667)
    assert s["speaker_accuracy"] == 0.0
    # one prediction across two golds with equal overlap (25 of 50 each: exactly the 50% needed): the later gold
    assert match([Item([(25, 75)], None)], [Item([(0, 50)], None), Item([(50, 100)], None)]) == [(0, 1)]


def test_best_overlap_is_taken_first():
    gold = [Item([(0, 100)], None), Item([(50, 150)], None)]
    pred = [Item([(40, 140)], None), Item([(0, 100)], None)]
    # ratios: pred0-gold0 60/100, pred0-gold1 90/100, pred1-gold0 100/100, pred1-gold1 50/100.
    # Taken in order 1.0 (pred1-gold0), 0.9 (pred0-gold1); the rest reuse a taken item.
    assert match(pred, gold) == [(1, 0), (0, 1)]
