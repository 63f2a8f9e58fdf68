"""Evaluation of unspun against labelled corpora.

`ptc_scorer` re-implements the SemEval-2020 Task 11 (PTC) metrics and label-file readers in plain Python;
`commands` is the `unspun eval` sub-command group that the main CLI mounts.
"""
