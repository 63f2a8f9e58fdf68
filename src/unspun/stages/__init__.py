"""Analysis stages. Each stage module (techniques, quotes, claims, sources, actors) has `NAME`, `REQUIRES`, `READS_PARSE` and
one entry function, `run(doc) -> None`, that adds its own span kind; `unspun.pipeline.STAGES` runs them in order.

The other modules here are the stages' own helpers: `evidence` (techniques), `speakers` (quotes), `names`
(sources and actors)."""
