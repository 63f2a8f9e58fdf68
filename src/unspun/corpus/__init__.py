"""Corpus-scale work: the store (SQLite or Postgres), batch readers, engines, exports and statistics.

`Store` is the one database layer that both `unspun corpus` and `unspun serve` use.
"""

from unspun.corpus.store import Analysed, Failure, Store

__all__ = ["Analysed", "Failure", "Store"]
