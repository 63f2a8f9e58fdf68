"""The claims model on unspun's held-out check-worthiness splits (`unspun eval claims` prints these).

Scores the ClaimBuster held-out split (P/R/F1 of the check-worthy class at the model's threshold, AP) and the
held-out CheckThat! 2019 debates (mAP over debates, AP per debate). The validation split, which chose the
threshold and the calibration, is printed too, marked as such. Splits: `unspun.datasets.checkworthy`.
"""

from __future__ import annotations


from unspun.evaluation.checkworthy_scorer import average_precision, mean_average_precision, prf


def evaluate(model, splits) -> dict:
    """Scores of `model` (a ClaimsModel) on the validation, ClaimBuster test and CT19 test splits."""
    result = {}
    for name, rows in (("val", splits.val), ("test", splits.test)):
        labels = [r.label for r in rows]
        scores = model.scores([r.text for r in rows])
        result[name] = {**prf(labels, scores, model.threshold), "ap": round(average_precision(labels, scores), 4)}
    rows = splits.ct19_test
    labels = [r.label for r in rows]
    scores = model.scores([r.text for r in rows])
    m, per = mean_average_precision(labels, scores, [r.group for r in rows])
    result["ct19"] = {"map": m, "per_debate": per, **prf(labels, scores, model.threshold)}
    return result
