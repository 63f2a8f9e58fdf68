"""The research corpora unspun trains and evaluates on, and their file formats: one reader each, used by both
`unspun.training` and `unspun.evaluation` (which import this package; it imports neither).

- `ptc`: the Propaganda Techniques Corpus (SemEval-2020 Task 11): articles, SI/TC label files, by-article splits;
  `ptc_split`: unspun's fixed train / dev / val split of it.
- `semeval23`: SemEval-2023 Task 3 subtask 3 (paragraph labels and templates; spans in PTC's format).
- `polnear`: the PolNeAR attribution corpus (quotes), and the tuning hold-out of its train split.
- `checkworthy`: ClaimBuster and CheckThat! 2019 (claims), with unspun's fixed splits.

The data itself is research-only and never shipped; these modules only read it.
"""
