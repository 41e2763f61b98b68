"""The reviewed seed JSON is the importer's current reading plus the recorded hand corrections.

Every database test starts from fixtures/documents/*.json, so an importer change that altered
its reading would pass them all: this compares the two directly (no database, well under a
second). When it fails on purpose, run scripts/build_seed_fixtures.py and review the diff.
"""

import json

import pytest

from scripts.build_seed_fixtures import DOCS, SOURCES, as_json, reviewed_document

SOURCE_FILES = sorted(SOURCES.glob("*.txt"))


def differences(built: dict, committed: dict) -> list[str]:
    """Where the two readings part: document fields by name, nodes by code."""
    where = [key for key in sorted(set(built) | set(committed))
             if key != "nodes" and built.get(key) != committed.get(key)]
    built_nodes = {n["code"]: n for n in built["nodes"]}
    committed_nodes = {n["code"]: n for n in committed["nodes"]}
    for code in sorted(set(built_nodes) | set(committed_nodes)):
        mine, theirs = built_nodes.get(code), committed_nodes.get(code)
        if mine != theirs:
            fields = sorted(k for k in set(mine or {}) | set(theirs or {})
                            if (mine or {}).get(k) != (theirs or {}).get(k))
            where.append(f"{code}: {', '.join(fields)}")
    if [n["code"] for n in built["nodes"]] != [n["code"] for n in committed["nodes"]]:
        where.append("order of nodes")
    return where


def test_every_source_has_its_reviewed_json():
    assert [s.name[:3] for s in SOURCE_FILES] == ["000", "001", "002", "003", "004"]
    assert sorted(p.stem for p in DOCS.glob("*.json")) == [s.name[:3] for s in SOURCE_FILES]


@pytest.mark.parametrize("source", SOURCE_FILES, ids=lambda s: s.name[:3])
def test_importer_output_with_recorded_review_equals_the_committed_seed(source):
    committed_text = (DOCS / f"{source.name[:3]}.json").read_text(encoding="utf-8")
    built = reviewed_document(source)
    assert built["nodes"], "the importer read no nodes"
    assert differences(built, json.loads(committed_text)) == []
    assert as_json(built) == committed_text  # byte for byte, as the script would write it
