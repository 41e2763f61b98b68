"""The real-document corpus (fixtures/corpus/, issue 13 item 6) is complete in every format."""

from __future__ import annotations

import pytest

from tests.corpus import documents, load_key, load_meta

LEVELS = {"central", "province", "city", "county", "department"}


def test_corpus_exists():
    assert documents(), "fixtures/corpus/ has no documents"


@pytest.mark.parametrize("folder", documents(), ids=lambda p: p.name)
def test_document_has_every_format_a_key_and_meta(folder):
    for name in ("source.txt", "source.docx", "source.pdf"):
        assert (folder / name).stat().st_size > 0, name
    key = load_key(folder)
    assert len(key) >= 5
    for measure in key:
        assert set(measure) >= {"code", "title", "lead_units", "supporting_units", "deadline_text"}
    assert len({m["code"] for m in key}) == len(key), "codes repeat"
    meta = load_meta(folder)
    assert meta.get("url")
    assert meta.get("level") in LEVELS
    assert isinstance(meta.get("excerpt"), bool)
    assert isinstance(meta.get("has_table"), bool)
