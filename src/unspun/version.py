"""unspun's version, in one place (the package, the Document JSON, the server and the HTTP user agent read it here)."""

__version__ = "0.1.0"
