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
