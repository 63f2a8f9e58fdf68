"""The quotation marks that open and close a quoted string, in one place: the quote model joins quotes across them
and the title finder trims them, and two copies would drift apart."""

from __future__ import annotations

OPEN_MARKS = "\"“„‟«‘‚‛「『'‹"
CLOSE_MARKS = "\"”“»’'」』›"
