"""The importer's score on the real-document corpus: computed consistently, and at least 90 %
of all key measures right in every format (issue 13). `python scripts/score_corpus.py -v`
lists what is wrong when this fails."""

from __future__ import annotations

from tests.corpus import report, score_all, totals


def test_scorer_runs_on_txt_and_counts_consistently():
    results = score_all(("txt",))
    scores = results["txt"]
    assert scores
    for s in scores:
        assert 0 <= s.right <= s.found <= s.in_key
        assert len(s.wrong) == s.in_key - s.right
    n, found, right = totals(scores)
    assert n >= 5 * len(scores)
    assert "合计" in report(results, verbose=True)


def test_at_least_nine_in_ten_measures_are_read_right_in_every_format():
    results = score_all()
    for fmt in ("txt", "docx", "pdf"):
        scores = results[fmt]
        assert scores, fmt
        n, _found, right = totals(scores)
        assert right / n >= 0.90, f"{fmt}: {right}/{n}\n" + report(results, verbose=True)
