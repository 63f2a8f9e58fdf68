"""`unspun serve`: start the API and web UI with uvicorn (imports stay lazy so the CLI starts fast)."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from unspun.runtime.models import DEFAULT_MODEL, ModelName


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on. Anything but loopback needs UNSPUN_TOKEN.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
    db: Annotated[Optional[str], typer.Option("--db", help="Database URL (default: an SQLite file in your data folder).")] = None,
    model: Annotated[ModelName, typer.Option("--model", help="Technique model used when a request names none.")] = ModelName(DEFAULT_MODEL),
    workers: Annotated[int, typer.Option("--workers", min=1, help="Analysis worker processes (each loads the models and gets cores / N ONNX threads).")] = 1,
    queue_size: Annotated[int, typer.Option("--queue-size", min=0, help="Requests that may wait for a busy worker; more get 503 at once.")] = 0,
    max_bytes: Annotated[Optional[int], typer.Option("--max-bytes", min=1, help="Input size limit per request (default 5 MB).")] = None,
    insecure_no_auth: Annotated[
        bool, typer.Option("--insecure-no-auth", help="Allow a non-loopback address without a token (not recommended).")
    ] = False,
) -> None:
    """Serve the REST API (/api/v1, docs at /docs) and the web UI on one port."""
    import uvicorn

    from unspun.limits import API_MAX_BYTES
    from unspun.server.app import create_app
    from unspun.server.config import ServerConfig

    config = ServerConfig(host=host, port=port, db=db, model=model.value, workers=workers, queue_size=queue_size,
                          max_bytes=max_bytes or API_MAX_BYTES, insecure_no_auth=insecure_no_auth)
    config.check()  # before anything loads: refuse an exposed server without a token
    if config.insecure_no_auth and not config.loopback:
        print(f"unspun: warning: serving on {host} with no authentication", file=sys.stderr)
    from unspun.corpus.store import Store

    store = Store(db)  # fail fast (exit 75) when the database is unreachable
    app = create_app(config, store=store)
    shown = f"[{host}]" if ":" in host else host
    print(f"unspun: serving on http://{shown}:{port}/ (API docs at /docs); Ctrl-C stops", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False)
