"""Every output validates against the documented JSON Schema in docs/unspun-1.schema.json."""

import json

import jsonschema
import pytest

import unspun
from conftest import EXAMPLES, REPO, assert_offsets
from test_document import full_document

SCHEMA = json.loads((REPO / "docs" / "unspun-1.schema.json").read_text())


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html")))
def test_examples_validate(name):
    doc = unspun.analyze_file(EXAMPLES / name).to_plain()
    jsonschema.validate(doc, SCHEMA)
    assert_offsets(doc)


def test_every_span_kind_validates():
    jsonschema.validate(full_document().to_plain(), SCHEMA)


def test_schema_catches_a_broken_document():
    doc = full_document().to_plain()
    doc["quotes"][0]["kind"] = "shouted"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)
