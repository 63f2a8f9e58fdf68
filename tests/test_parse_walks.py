"""Walks over a spaCy parse always end.

spaCy builds a new `Token` object on every access, so `tok.head is tok` is never true, even at the root: a loop
that climbs heads until it reaches the root that way never stops. A 2 KB news article with an embedded tweet on a
line of its own (a sentence with no verb) hung the pipeline for good. These tests run that shape in a child process
with a deadline, and check that no module compares parse objects by identity.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

ARTICLE = """Senator attacks the harbour deal

<tweet tweet-id="1187"><tweet/>.

A tweet from the senator.

Twitter post by the governor.

The senator said on Monday that the deal was a disgrace. Her office did not answer questions on Tuesday.
"""


@pytest.mark.parametrize("stages", ["sources", "actors"])
def test_verbless_post_sentences_finish(tmp_path: Path, stages: str) -> None:
    """The article shape that looped forever now finishes well inside its deadline and still finds the post."""
    path = tmp_path / "tweet.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "unspun", "analyze", str(path), "--format", "json", "--stages", stages],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    if stages == "sources":
        import json

        names = [s["name"] for s in json.loads(proc.stdout)["sources"]]
        assert any(n.endswith("post") or " on Twitter" in n for n in names), names


def _identity_compares(path: Path) -> list[str]:
    """`a is b` / `a is not b` where neither side is None, True, False or a literal: never right for parse objects."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare) and any(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
            sides = [node.left, *node.comparators]
            if not any(isinstance(s, ast.Constant) for s in sides):
                found.append(f"{path.relative_to(REPO)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_identity_comparison_of_parse_objects() -> None:
    """Modules that walk spaCy parses compare tokens by position (`.i`), never with `is`."""
    src = REPO / "src" / "unspun"
    parse_modules = [*sorted((src / "stages").glob("*.py")), src / "names.py", src / "speakers.py", src / "evidence.py",
                     src / "runtime" / "nlp.py", src / "runtime" / "offsets.py"]
    offenders = [hit for path in parse_modules if path.exists() for hit in _identity_compares(path)]
    assert offenders == []
