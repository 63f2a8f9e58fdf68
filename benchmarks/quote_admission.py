"""How the quotes stage's admission score and speaker calibration were made, reproduced on PolNeAR's tuning split.

    python benchmarks/quote_admission.py [--data ../shared/data/polnear] [--write]

The quote tagger (trained on PolNeAR) reports any "X <verb> …" it sees; on real pages most of that is not a quote.
The stage keeps tagger output whose score reaches `admission.min_score` in `models/quotes/config.json`. The value
is the most precise one on the 60 PolNeAR training articles held out from training (`training.quotes.split_train`)
whose content F1 there is at least that of admitting everything: precision first, with no F1 given up on the corpus
the tagger learnt from. `speaker_score` comes from `speaker_calibration` there: per cell (how the speaker was found,
quotation marks or not, tagger score), the smoothed share of speaker mentions that match PolNeAR's source on those
same articles. PolNeAR dev is not used. Prints both; `--write` stores them in the shipped config.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    shared = Path(os.environ.get("UNSPUN_SHARED_DATA", REPO.parent / "shared" / "data"))
    ap.add_argument("--data", default=str(shared / "polnear"))
    ap.add_argument("--write", action="store_true", help="store the results in src/unspun/models/quotes/config.json")
    args = ap.parse_args()

    import json

    from unspun.evaluation.quotes import CachedTagger, fit_speaker_calibration, tune_admission
    from unspun.runtime import models
    from unspun.datasets.polnear import load_split
    from unspun.datasets.polnear import split_train

    model, _ = models.load_quotes()
    tagger = CachedTagger(model)  # tuning and calibration run the stage on the same articles
    tune = split_train(load_split(Path(args.data), "train"))[1]
    chosen, table = tune_admission(tagger, tune)
    print(f"{len(tune)} PolNeAR tuning articles; content P/R/F1 and speaker accuracy by min_score")
    for row in table:
        mark = "  <- chosen" if row["min_score"] == chosen else ""
        print(f"  {row['min_score']:.2f}  P {row['precision']:.3f}  R {row['recall']:.3f}  F1 {row['f1']:.3f}  "
              f"speaker {row['speaker_accuracy']:.3f}{mark}")
    print(f"min_score = {chosen}  (shipped: {model.config.get('admission', {}).get('min_score')})")
    calibration = fit_speaker_calibration(tagger, tune, chosen)
    print("speaker calibration: P(speaker mention right) by cell (n = matched quotes with a speaker)")
    for key, cell in calibration.items():
        print(f"  {key:28s} {cell['p']:.3f}  n={cell['n']}")
    if args.write:
        path = models.QUOTES_DIR / "config.json"
        config = json.loads(path.read_text(encoding="utf-8"))
        config.setdefault("admission", {})["min_score"] = chosen
        config["speaker_calibration"] = calibration
        path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        print(f"written to {path}")


if __name__ == "__main__":
    main()
