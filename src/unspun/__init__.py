"""unspun: shows how a news or opinion article argues.

The public API: `analyze` (dispatches on its argument), the explicit `analyze_text`, `analyze_html`,
`analyze_file`, `analyze_url`, and the `Document` they return.
"""

from unspun.document import Document
from unspun.pipeline import analyze, analyze_file, analyze_html, analyze_text, analyze_url
from unspun.version import __version__

__all__ = ["Document", "analyze", "analyze_file", "analyze_html", "analyze_text", "analyze_url", "__version__"]
