"""`unspun serve`: the REST API and the web UI on one FastAPI app. It analyses through `unspun.pipeline`,
stores through `unspun.corpus.store` and renders through `unspun.render.html`; it has no analysis of its own."""

from unspun.server.app import create_app
from unspun.server.config import ServerConfig

__all__ = ["ServerConfig", "create_app"]
