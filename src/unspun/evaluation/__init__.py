"""Evaluation of unspun against labelled corpora: the scorers, in plain Python.

`ptc_scorer` re-implements the SemEval-2020 Task 11 (PTC) metrics, `semeval23_scorer` SemEval-2023 Task 3's,
`checkworthy_scorer` and `claims` score check-worthiness, `quotes` the quote stage. The corpora are read by
`unspun.datasets`; the `unspun eval` commands that print these scores are `unspun.cli.eval`.
"""
