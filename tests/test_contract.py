"""The published contract: schemas/ matches the code, the README documents every field."""

import json

import pytest

from harvester import records
from tests.conftest import REPO


@pytest.mark.parametrize("record_type", records.RECORD_TYPES)
def test_schema_files_match_the_code(record_type):
    on_disk = json.loads((REPO / "schemas" / f"{record_type}.schema.json").read_text())
    assert on_disk == records.schema(record_type), "run `harvester schemas schemas/` and bump SCHEMA_VERSION"


def test_schemas_are_valid_draft_2020_12_and_closed():
    from jsonschema import Draft202012Validator

    for record_type in records.RECORD_TYPES:
        schema = records.schema(record_type)
        Draft202012Validator.check_schema(schema)
        assert schema["additionalProperties"] is False
        assert "extra" in schema["properties"]


def test_readme_documents_every_field():
    readme = (REPO / "README.md").read_text()
    missing = [f"{rt}.{name}" for rt in records.RECORD_TYPES for name in records.field_order(rt)
               if f"`{name}`" not in readme]
    assert missing == []


def test_make_rejects_fields_outside_the_contract():
    with pytest.raises(KeyError):
        records.make("post", {"id": "x", "surprise": 1})
