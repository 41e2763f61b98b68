"""The importer's score on the real-document corpus is computed and reported consistently.

The ≥ 90 % threshold of issue 13 is not asserted yet: the current grammar scores far below it
(`python scripts/score_corpus.py -v` lists what is wrong). The lead adds the threshold when the
grammar reaches it.
"""

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
