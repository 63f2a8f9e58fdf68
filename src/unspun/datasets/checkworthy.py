"""Check-worthiness corpora (ClaimBuster two-class, CheckThat! 2019 task 1) and unspun's fixed, honest splits.

Pure Python, no torch: `unspun eval claims` uses the same splits as training, so what it reports is held out.

The splits (see `../shared/data/checkworthy/PROVENANCE.md` for why the deduplication matters):
- **ClaimBuster held-out test**: 15% of `train.json`, chosen by a hash of `sentence_id` (bucket < 15 of 100).
- **validation**: another 10% of `train.json` (buckets 15..24). It chooses the epoch, the calibration and the threshold.
- **CT19 held-out debates**: whole debates of the CheckThat! 2019 training file (`CT19_TEST_DEBATES`), for mAP.
- **training**: the derived ClaimBuster pool minus every test/validation `sentence_id`, minus every sentence whose
  normalised text equals a test or validation sentence **or a sentence of a held-out CT19 debate** (the pool and CT19
  share the 2016 debates verbatim), deduplicated. The other CT19 debates are not used: CT19 labels say whether
  fact-checkers checked a sentence, a different question from ClaimBuster's, and they would leak into nothing held
  out but would pull the probability away from ClaimBuster's meaning.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

TRAIN_JSON = Path("claimbuster/two_class/train.json")
POOL_JSON = Path("claimbuster/two_class/DERIVED-pool-minus-holdout.json")
CT19_CSV = Path("clef19/CT19-T1-Training.csv")
TEST_BUCKETS = range(0, 15)
VAL_BUCKETS = range(15, 25)
# Six whole debates/speeches held out for mAP: two 2016 debates (one primary, one presidential, which ClaimBuster
# also covers: their sentences are removed from training), and four Trump speeches or press events from 2017-2019.
CT19_TEST_DEBATES = (
    "20160209_msnbc_dem.tsv",
    "20161010_2pres.tsv",
    "20170228_trump_address.tsv",
    "20170928_trump_tax.tsv",
    "20180916_trump_miami.tsv",
    "20190108_oval_office.tsv",
)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Sentence:
    id: str  # ClaimBuster: the sentence_id; CT19: "file_name:line_number" (the evaluator's ids)
    text: str
    label: int
    group: str = ""  # CT19: the debate (file_name)


def normalise(text: str) -> str:
    """Whitespace-normalised, lower-cased text: the key for finding the same sentence in two sets."""
    return _SPACE.sub(" ", text).strip().lower()


def bucket(sentence_id: int | str) -> int:
    """A stable bucket 0..99 from the id (sha256, so it does not depend on Python's hash seed)."""
    return int(hashlib.sha256(str(sentence_id).encode()).hexdigest(), 16) % 100


def locate(data: Path) -> Path:
    """The check-worthiness folder (holding claimbuster/ and clef19/); raises FileNotFoundError naming what is missing."""
    data = Path(data)
    for part in (TRAIN_JSON, POOL_JSON, CT19_CSV):
        if not (data / part).is_file():
            raise FileNotFoundError(f"{data / part} not found (expected the checkworthy data folder, see its FORMAT.md)")
    return data


def _read_json(path: Path) -> list[Sentence]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [Sentence(str(r["sentence_id"]), r["text"], int(r["label"])) for r in rows]


def read_ct19(path: Path) -> list[Sentence]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [Sentence(f"{r['file_name']}:{r['line_number']}", r["text"], int(r["label"]), r["file_name"])
                for r in csv.DictReader(fh)]


@dataclass
class Splits:
    train: list[Sentence]
    val: list[Sentence]
    test: list[Sentence]  # ClaimBuster held-out
    ct19_test: list[Sentence]  # held-out CT19 debates, in transcript order

    def summary(self) -> dict:
        def count(rows):
            return {"sentences": len(rows), "positives": sum(r.label for r in rows)}

        return {"train": count(self.train), "val": count(self.val), "test": count(self.test),
                "ct19_test": {**count(self.ct19_test), "debates": list(CT19_TEST_DEBATES)}}


def split(data: Path) -> Splits:
    """The fixed splits described in the module docstring."""
    data = locate(data)
    original = _read_json(data / TRAIN_JSON)
    test = [s for s in original if bucket(s.id) in TEST_BUCKETS]
    val = [s for s in original if bucket(s.id) in VAL_BUCKETS]
    ct19 = read_ct19(data / CT19_CSV)
    ct19_test = [s for s in ct19 if s.group in CT19_TEST_DEBATES]
    held_ids = {s.id for s in test} | {s.id for s in val}
    held_texts = {normalise(s.text) for s in test + val + ct19_test}
    train, seen = [], set()
    for s in _read_json(data / POOL_JSON):
        key = normalise(s.text)
        if s.id in held_ids or key in held_texts or key in seen:
            continue
        seen.add(key)
        train.append(s)
    return Splits(train, val, test, ct19_test)
